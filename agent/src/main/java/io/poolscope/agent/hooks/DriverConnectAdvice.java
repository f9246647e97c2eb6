package io.poolscope.agent.hooks;

import static net.bytebuddy.jar.asm.Opcodes.ALOAD;
import static net.bytebuddy.jar.asm.Opcodes.ASTORE;
import static net.bytebuddy.jar.asm.Opcodes.DUP;

import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * Woven into every {@code Driver.connect(String url, Properties info)}, where physical connections are
 * born: the enter may replace both arguments, and keeps the URL the driver is given for the exit (the
 * driver's code may reassign its parameter).
 */
final class DriverConnectAdvice extends Advice {

  static final DriverConnectAdvice INSTANCE = new DriverConnectAdvice();

  private static final int URL = 1;
  private static final int INFO = 2;

  private DriverConnectAdvice() {
    super("driverConnectReturned", "driverConnectThrew", "java/lang/String");
  }

  @Override
  void enter(MethodVisitor code, int state) {
    code.visitVarInsn(ALOAD, URL);
    code.visitVarInsn(ALOAD, INFO);
    callHook(code, "driverConnectEnter",
        "(Ljava/lang/String;Ljava/util/Properties;)Ljava/util/Properties;");
    code.visitVarInsn(ASTORE, INFO);
    code.visitVarInsn(ALOAD, URL);
    callHook(code, "driverConnectUrl", "(Ljava/lang/String;)Ljava/lang/String;");
    code.visitInsn(DUP);
    code.visitVarInsn(ASTORE, URL);
    code.visitVarInsn(ASTORE, state);
  }
}
