package io.poolscope.agent.hooks;

import static net.bytebuddy.jar.asm.Opcodes.ALOAD;

import net.bytebuddy.jar.asm.MethodVisitor;

/** Woven into every {@code Connection.close()} and {@code abort(Executor)}: the checkout ends. */
final class CloseAdvice extends Advice {

  static final CloseAdvice INSTANCE = new CloseAdvice();

  private CloseAdvice() {
    super(null, null, null);
  }

  @Override
  void enter(MethodVisitor code, int state) {
    code.visitVarInsn(ALOAD, 0);
    callHook(code, "connectionClose", "(Ljava/lang/Object;)V");
  }
}
