package io.poolscope.agent.hooks;

import static net.bytebuddy.jar.asm.Opcodes.ACC_ABSTRACT;
import static net.bytebuddy.jar.asm.Opcodes.ACC_BRIDGE;
import static net.bytebuddy.jar.asm.Opcodes.ACC_NATIVE;
import static net.bytebuddy.jar.asm.Opcodes.ACC_STATIC;

import net.bytebuddy.jar.asm.Type;

/**
 * One kind of method to weave: its name and parameters, what it must return, which classes declaring
 * it qualify, and the advice. Only instance methods with code qualify, and no bridges: a bridge (to a
 * narrowed return type) only calls the method it stands for, which is woven itself.
 */
final class MethodRule {

  /** Whether a class qualifies, by its access flags and the JDBC interfaces it implements. */
  interface Receiver {
    boolean accepts(int access, int superTypes);
  }

  final String name;
  /** The descriptor's start: the parameter types in parentheses. */
  private final String parameters;
  /** The return type must be a {@code java.sql.Connection}; else any. */
  private final boolean returnsConnection;
  final Receiver receiver;
  final Advice advice;

  MethodRule(
      String name, String parameters, boolean returnsConnection, Receiver receiver, Advice advice) {
    this.name = name;
    this.parameters = parameters;
    this.returnsConnection = returnsConnection;
    this.receiver = receiver;
    this.advice = advice;
  }

  /** What the class file says of the method, before its class and return type are known. */
  boolean declares(int access, String methodName, String descriptor) {
    return methodName.equals(name)
        && descriptor.startsWith(parameters)
        && (access & (ACC_STATIC | ACC_ABSTRACT | ACC_NATIVE | ACC_BRIDGE)) == 0
        // an exit hands the returned value on: a reference
        && (!advice.hasExit() || descriptor.endsWith(";"));
  }

  boolean accepts(int classAccess, int superTypes, String descriptor, SuperTypes types) {
    if (!receiver.accepts(classAccess, superTypes)) {
      return false;
    }
    if (!returnsConnection) {
      return true;
    }
    Type returned = Type.getReturnType(descriptor);
    return returned.getSort() == Type.OBJECT
        && (types.of(returned.getInternalName()) & SuperTypes.CONNECTION) != 0;
  }
}
