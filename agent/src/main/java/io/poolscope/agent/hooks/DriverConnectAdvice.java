package io.poolscope.agent.hooks;

import static net.bytebuddy.jar.asm.Opcodes.ALOAD;
import static net.bytebuddy.jar.asm.Opcodes.ASTORE;

import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * Woven into every {@code Driver.connect(String url, Properties info)}, where physical connections are
 * born: the enter returns the thread's tracking state, kept in a local for the hooks that may replace
 * both arguments and for the exit, so none of them looks it up again.
 */
final class DriverConnectAdvice extends Advice {

  static final DriverConnectAdvice INSTANCE = new DriverConnectAdvice();

  private static final int URL = 1;
  private static final int INFO = 2;

  private DriverConnectAdvice() {
    super("driverConnectReturned", "driverConnectThrew", "java/lang/Object");
  }

  @Override
  void enter(MethodVisitor code, int state) {
    code.visitVarInsn(ALOAD, URL);
    callHook(code, "driverConnectEnter", "(Ljava/lang/String;)Ljava/lang/Object;");
    code.visitVarInsn(ASTORE, state);
    code.visitVarInsn(ALOAD, state);
    code.visitVarInsn(ALOAD, URL);
    code.visitVarInsn(ALOAD, INFO);
    callHook(code, "driverConnectInfo",
        "(Ljava/lang/Object;Ljava/lang/String;Ljava/util/Properties;)Ljava/util/Properties;");
    code.visitVarInsn(ASTORE, INFO);
    code.visitVarInsn(ALOAD, state);
    code.visitVarInsn(ALOAD, URL);
    callHook(code, "driverConnectUrl", "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/String;");
    code.visitVarInsn(ASTORE, URL);
  }
}
