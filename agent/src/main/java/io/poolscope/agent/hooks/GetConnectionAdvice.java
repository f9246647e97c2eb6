package io.poolscope.agent.hooks;

import static net.bytebuddy.jar.asm.Opcodes.ALOAD;
import static net.bytebuddy.jar.asm.Opcodes.ASTORE;

import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * Woven into every {@code DataSource.getConnection()} and {@code getConnection(String, String)}: the
 * enter returns the thread's tracking state, kept in a local so the exit need not look it up again.
 */
final class GetConnectionAdvice extends Advice {

  static final GetConnectionAdvice INSTANCE = new GetConnectionAdvice();

  private GetConnectionAdvice() {
    super("getConnectionReturned", "getConnectionThrew", "java/lang/Object");
  }

  @Override
  void enter(MethodVisitor code, int state) {
    code.visitVarInsn(ALOAD, 0);
    callHook(code, "getConnectionEnter", "(Ljava/lang/Object;)Ljava/lang/Object;");
    code.visitVarInsn(ASTORE, state);
  }
}
