package io.poolscope.agent.hooks;

import static net.bytebuddy.jar.asm.Opcodes.ARETURN;
import static net.bytebuddy.jar.asm.Opcodes.ASM9;
import static net.bytebuddy.jar.asm.Opcodes.ATHROW;
import static net.bytebuddy.jar.asm.Opcodes.DOUBLE;
import static net.bytebuddy.jar.asm.Opcodes.F_NEW;
import static net.bytebuddy.jar.asm.Opcodes.FLOAT;
import static net.bytebuddy.jar.asm.Opcodes.INTEGER;
import static net.bytebuddy.jar.asm.Opcodes.LONG;
import static net.bytebuddy.jar.asm.Opcodes.TOP;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves one {@link Advice} into one method, where Byte Buddy's {@code Advice} would inline it. The
 * method's own code is left as it is: the local the exit reads goes after the method's locals, so only
 * the stack map frames (read expanded) learn of it, and the exit's handler comes last in the exception
 * table, after the method's own handlers.
 */
final class AdviceMethod extends MethodVisitor {

  private static final Object[] THROWABLE = {"java/lang/Throwable"};

  private final Advice advice;
  /** The added local, at the method's max locals; -1 if the advice has no exit. */
  private final int state;
  /** The frame at the method's entry; null if the class has no stack map frames (before Java 6). */
  private final Object[] entryLocals;
  private final Label bodyStart = new Label();

  /**
   * @param maxLocals the method's, read beforehand
   * @param frames whether the class has stack map frames: if the advice has an exit, they must come
   *     expanded ({@code ClassReader.EXPAND_FRAMES})
   */
  AdviceMethod(
      MethodVisitor target, Advice advice, String owner, String descriptor, int maxLocals,
      boolean frames) {
    super(ASM9, target);
    this.advice = advice;
    this.state = advice.hasExit() ? maxLocals : -1;
    this.entryLocals = frames ? entryLocals(owner, descriptor) : null;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    advice.enter(mv, state);
    if (state >= 0) {
      mv.visitLabel(bodyStart);
    }
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode == ARETURN && state >= 0) {
      advice.exitReturning(mv, state);
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    if (state < 0) {
      super.visitFrame(type, numLocal, local, numStack, stack);
    } else {
      Object[] locals = withState(Arrays.copyOf(local, numLocal));
      super.visitFrame(type, locals.length, locals, numStack, stack);
    }
  }

  /** Exceptions thrown by the method pass the exit on their way out. */
  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (state < 0) {
      super.visitMaxs(Math.max(maxStack, 1), maxLocals); // the enter passes this
      return;
    }
    Label bodyEnd = new Label();
    Label handler = new Label();
    mv.visitLabel(bodyEnd);
    mv.visitLabel(handler);
    if (entryLocals != null) {
      Object[] locals = withState(entryLocals);
      mv.visitFrame(F_NEW, locals.length, locals, 1, THROWABLE);
    }
    advice.exitThrowing(mv, state);
    mv.visitInsn(ATHROW);
    mv.visitTryCatchBlock(bodyStart, bodyEnd, handler, THROWABLE[0].toString());
    // an exit pushes two values over the returned one; the enter at most three arguments
    super.visitMaxs(Math.max(maxStack + 2, 3), state + 1);
  }

  /** An expanded frame's locals, unset ones (TOP) up to the added local, then the added local. */
  private Object[] withState(Object[] locals) {
    List<Object> frame = new ArrayList<>(Arrays.asList(locals));
    int slots = 0;
    for (Object local : locals) {
      slots += LONG.equals(local) || DOUBLE.equals(local) ? 2 : 1;
    }
    for (; slots < state; slots++) {
      frame.add(TOP);
    }
    frame.add(advice.stateType());
    return frame.toArray();
  }

  /** The frame at the method's entry: {@code this} and the parameters. */
  private static Object[] entryLocals(String owner, String descriptor) {
    Type[] parameters = Type.getArgumentTypes(descriptor);
    Object[] locals = new Object[parameters.length + 1];
    locals[0] = owner;
    for (int i = 0; i < parameters.length; i++) {
      locals[i + 1] = frameType(parameters[i]);
    }
    return locals;
  }

  private static Object frameType(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN:
      case Type.CHAR:
      case Type.BYTE:
      case Type.SHORT:
      case Type.INT:
        return INTEGER;
      case Type.FLOAT:
        return FLOAT;
      case Type.LONG:
        return LONG;
      case Type.DOUBLE:
        return DOUBLE;
      default:
        return type.getInternalName(); // a class's internal name, an array's descriptor
    }
  }
}
