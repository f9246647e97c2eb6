package io.poolscope.agent.tracking;

import java.lang.ref.WeakReference;

/**
 * Reads figures that only the pool knows (idle now, configured limits) by getter name, with no
 * compile-time dependency on any pool. Called at export time, never on the checkout path, and holds
 * the DataSource weakly so it never keeps a pool alive.
 */
public final class PoolProbe {

  /** What a pool may expose, each with the getter paths that lead to it, tried in order. */
  public enum Figure {
    IDLE(
        new String[] {"getHikariPoolMXBean", "getIdleConnections"}, // HikariCP
        new String[] {"getNumIdleConnectionsDefaultUser"}, // c3p0
        new String[] {"getNumIdle"}, // commons-dbcp2 (tomcat-jdbc: see CREATES_POOL)
        new String[] {"getIdle"}),
    MAX(
        new String[] {"getMaximumPoolSize"}, // HikariCP
        new String[] {"getMaxTotal"}, // commons-dbcp2
        new String[] {"getMaxPoolSize"}, // c3p0
        new String[] {"getMaxActive"}), // tomcat-jdbc
    IDLE_MAX(new String[] {"getMaxIdle"}), // commons-dbcp2, tomcat-jdbc
    IDLE_MIN(
        new String[] {"getMinimumIdle"}, // HikariCP
        new String[] {"getMinIdle"}, // commons-dbcp2, tomcat-jdbc
        new String[] {"getMinPoolSize"}); // c3p0

    final String[][] paths;

    Figure(String[]... paths) {
      this.paths = paths;
    }
  }

  static final PoolProbe NONE = new PoolProbe(null);

  /**
   * Pools whose idle getters (re)create the pool: tomcat-jdbc's getNumIdle, getIdle and getPool all
   * go through createPool(), so reading one after the app closed the pool opens it again. Their idle
   * count is derived (open physical − used) instead.
   */
  private static final String CREATES_POOL = "org.apache.tomcat.jdbc.pool.";

  private final WeakReference<Object> dataSource;
  private final String[][] paths = new String[Figure.values().length][];

  private PoolProbe(Object dataSource) {
    this.dataSource = new WeakReference<>(dataSource);
    if (dataSource == null) {
      return;
    }
    boolean createsPool = false;
    for (Class<?> c = dataSource.getClass(); c != null; c = c.getSuperclass()) {
      createsPool |= c.getName().startsWith(CREATES_POOL);
    }
    for (Figure figure : Figure.values()) {
      if (figure == Figure.IDLE && createsPool) {
        continue;
      }
      for (String[] path : figure.paths) {
        if (Reflect.publicGetter(dataSource.getClass(), path[0]) != null) {
          paths[figure.ordinal()] = path;
          break;
        }
      }
    }
  }

  static PoolProbe of(Object dataSource) {
    return new PoolProbe(dataSource);
  }

  /** The figure now, or -1 where the pool doesn't tell (or is gone). */
  public long read(Figure figure) {
    String[] path = paths[figure.ordinal()];
    if (path == null) {
      return -1;
    }
    Object value = dataSource.get();
    for (String getter : path) {
      value = Reflect.get(value, getter);
    }
    return value instanceof Number ? ((Number) value).longValue() : -1;
  }
}
