package io.poolscope.agent.tracking;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Reads the idle count from pools that expose one, by method name, with no compile-time dependency on
 * any pool. Called from the exporter's collection, never on the checkout path.
 */
public abstract class IdleProbe {

  /** Getter paths that lead to an idle count, tried in order. */
  private static final String[][] PATHS = {
    {"getHikariPoolMXBean", "getIdleConnections"}, // HikariCP
    {"getNumIdleConnectionsDefaultUser"}, // c3p0
    {"getNumIdle"}, // commons-dbcp2, tomcat-jdbc
    {"getIdle"},
  };

  static final IdleProbe NONE =
      new IdleProbe() {
        @Override
        public long idle() {
          return -1;
        }
      };

  /** Idle connections now, or -1 where the pool can't tell. */
  public abstract long idle();

  static IdleProbe of(Object dataSource) {
    for (String[] path : PATHS) {
      if (publicGetter(dataSource.getClass(), path[0]) != null) {
        return new Reflective(dataSource, path);
      }
    }
    return NONE;
  }

  /**
   * A public no-argument method callable from outside: one declared by a public class or interface,
   * so that reflection works even when the runtime class itself is not public.
   */
  static Method publicGetter(Class<?> type, String name) {
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

  /** Follows a getter path on a weakly held DataSource: the probe never keeps a pool alive. */
  private static final class Reflective extends IdleProbe {
    private final WeakReference<Object> dataSource;
    private final String[] path;

    Reflective(Object dataSource, String[] path) {
      this.dataSource = new WeakReference<>(dataSource);
      this.path = path;
    }

    @Override
    public long idle() {
      Object value = dataSource.get();
      try {
        for (String getter : path) {
          if (value == null) {
            return -1;
          }
          Method method = publicGetter(value.getClass(), getter);
          if (method == null) {
            return -1;
          }
          value = method.invoke(value);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        return -1;
      }
      return value instanceof Number ? ((Number) value).longValue() : -1;
    }
  }
}
