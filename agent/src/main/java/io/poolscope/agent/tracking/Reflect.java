package io.poolscope.agent.tracking;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/** Reads public getters of pool and driver objects the agent has no compile-time view of. */
public final class Reflect {

  private Reflect() {}

  /**
   * A public no-argument method callable from outside: one declared by a public class or interface,
   * so that reflection works even when the runtime class itself is not public.
   */
  public static Method publicGetter(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      Method method = declaredPublic(c, name);
      if (method != null) {
        return method;
      }
      for (Class<?> face : c.getInterfaces()) {
        method = declaredPublic(face, name);
        if (method != null) {
          return method;
        }
      }
    }
    return null;
  }

  /** The getter's value, or null where there is no such getter or it fails. */
  public static Object get(Object target, String getter) {
    if (target == null) {
      return null;
    }
    Method method = publicGetter(target.getClass(), getter);
    if (method == null) {
      return null;
    }
    try {
      return method.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A non-blank string getter's value, or null. */
  public static String string(Object target, String getter) {
    Object value = get(target, getter);
    return value instanceof String && !((String) value).isBlank() ? (String) value : null;
  }

  private static Method declaredPublic(Class<?> c, String name) {
    if (!Modifier.isPublic(c.getModifiers())) {
      return null;
    }
    try {
      Method method = c.getMethod(name);
      return Modifier.isPublic(method.getDeclaringClass().getModifiers()) ? method : null;
    } catch (NoSuchMethodException | SecurityException e) {
      return null;
    }
  }
}
