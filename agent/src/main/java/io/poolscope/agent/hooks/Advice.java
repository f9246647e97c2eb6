package io.poolscope.agent.hooks;

import static net.bytebuddy.jar.asm.Opcodes.ALOAD;
import static net.bytebuddy.jar.asm.Opcodes.DUP;
import static net.bytebuddy.jar.asm.Opcodes.INVOKESTATIC;

import net.bytebuddy.jar.asm.MethodVisitor;

/**
 * The code woven into one kind of JDBC method: calls of the static hooks in {@code JdbcHooks}, nothing
 * else. {@link AdviceMethod} places it: the enter at the start of the method; the exit, if any, before
 * each return and in a handler around the whole body that rethrows. An advice with an exit has its
 * enter keep a value in a local the weaver adds, which the exit hooks get after the returned or thrown
 * value.
 */
abstract class Advice {

  private static final String HOOKS = "io/poolscope/agent/bootstrap/JdbcHooks";

  /** The exit hooks' names and the internal name of the kept value's type: all null if no exit. */
  private final String returnedHook;
  private final String threwHook;
  private final String stateType;

  Advice(String returnedHook, String threwHook, String stateType) {
    this.returnedHook = returnedHook;
    this.threwHook = threwHook;
    this.stateType = stateType;
  }

  /** Whether there is an exit to weave: its methods must return a reference. */
  final boolean hasExit() {
    return stateType != null;
  }

  final String stateType() {
    return stateType;
  }

  /** Stack unchanged; {@code state}: the added local if there is an exit, else -1. */
  abstract void enter(MethodVisitor code, int state);

  /** Stack: {@code [returned]} before and after. */
  final void exitReturning(MethodVisitor code, int state) {
    exit(code, state, returnedHook, "Ljava/lang/Object;");
  }

  /** Stack: {@code [thrown]} before and after. */
  final void exitThrowing(MethodVisitor code, int state) {
    exit(code, state, threwHook, "Ljava/lang/Throwable;");
  }

  private void exit(MethodVisitor code, int state, String hook, String valueType) {
    code.visitInsn(DUP);
    code.visitVarInsn(ALOAD, state);
    callHook(code, hook, "(" + valueType + "L" + stateType + ";)V");
  }

  static void callHook(MethodVisitor code, String name, String descriptor) {
    code.visitMethodInsn(INVOKESTATIC, HOOKS, name, descriptor, false);
  }
}
