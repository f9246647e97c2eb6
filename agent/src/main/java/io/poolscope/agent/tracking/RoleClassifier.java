package io.poolscope.agent.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Decides, once per DataSource instance, what it is to checkouts. A pool is anything that is not a
 * JDBC driver's DataSource. A driver's DataSource called directly by the app is an unpooled pool of its
 * own; called by a pool to fill itself (on the pool's own threads, outside any getConnection of the
 * app), it is a provider whose calls are not checkouts.
 */
final class RoleClassifier {

  /** DataSources pools create around a driver purely to open physical connections. */
  private static final Set<String> PROVIDER_CLASSES =
      Set.of("com.zaxxer.hikari.util.DriverDataSource", "com.mchange.v2.c3p0.DriverManagerDataSource");

  /** Drivers whose DataSources open a connection per call; more with {@code poolscope.driver.packages}. */
  private static final List<String> DRIVER_PACKAGES =
      List.of(
          "org.postgresql.", "com.mysql.", "org.mariadb.", "oracle.jdbc.", "com.microsoft.sqlserver.",
          "org.h2.", "org.hsqldb.", "org.apache.derby.", "org.sqlite.", "com.ibm.db2.",
          "net.sourceforge.jtds.", "com.amazon.redshift.", "net.snowflake.client.", "com.clickhouse.",
          "io.trino.jdbc.", "org.duckdb.", "org.firebirdsql.", "com.sap.db.", "com.vertica.",
          "com.teradata.jdbc.", "com.exasol.jdbc.", "com.informix.");

  /** Code of these libraries opening a connection is a pool filling itself. */
  private static final List<String> POOL_PACKAGES =
      List.of(
          "com.zaxxer.hikari.", "com.mchange.", "org.apache.commons.dbcp", "org.apache.commons.pool",
          "org.apache.tomcat.jdbc.", "org.apache.tomcat.dbcp.", "io.agroal.", "org.vibur.",
          "oracle.ucp.", "com.alibaba.druid.");

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private final List<String> poolPackages;
  private final List<String> driverPackages;

  RoleClassifier(List<String> extraPoolPackages, List<String> extraDriverPackages) {
    this.poolPackages = withExtra(POOL_PACKAGES, extraPoolPackages);
    this.driverPackages = withExtra(DRIVER_PACKAGES, extraDriverPackages);
  }

  private static List<String> withExtra(List<String> known, List<String> extra) {
    List<String> packages = new ArrayList<>(known);
    for (String prefix : extra) {
      packages.add(prefix.endsWith(".") ? prefix : prefix + ".");
    }
    return List.copyOf(packages);
  }

  Role classify(Object dataSource, boolean outermost) {
    Class<?> type = dataSource.getClass();
    String name = type.getName();
    if (PROVIDER_CLASSES.contains(name)) {
      return Role.PROVIDER;
    }
    if (!isDriverDataSource(name)) {
      return Role.POOL;
    }
    return outermost && calledByPool(type) ? Role.PROVIDER : Role.DRIVER;
  }

  /** A driver's own DataSource; drivers that ship a pool name it so ({@code PGPoolingDataSource}). */
  private boolean isDriverDataSource(String className) {
    return startsWithAny(className, driverPackages)
        && !className.substring(className.lastIndexOf('.') + 1).contains("Pool");
  }

  /**
   * Is a pool (its code, or another DataSource) the caller of {@code callee}'s method? Walks the stack,
   * so it runs only on rare paths: once per DataSource instance, once per physical connection.
   */
  boolean calledByPool(Class<?> callee) {
    return WALKER.walk(
        frames ->
            frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .dropWhile(RoleClassifier::isHookFrame)
                .filter(c -> !c.isAssignableFrom(callee))
                .anyMatch(
                    c -> startsWithAny(c.getName(), poolPackages) || DataSource.class.isAssignableFrom(c)));
  }

  /** Two objects whose classes come from one library (the same first three package segments). */
  static boolean sameLibrary(Object a, Object b) {
    return a != null && b != null && library(a.getClass()).equals(library(b.getClass()));
  }

  /** The first three package segments: {@code org.apache.commons.dbcp2}, {@code com.zaxxer.hikari}. */
  static String library(Class<?> type) {
    String name = type.getName();
    int end = -1;
    for (int i = 0; i < 3; i++) {
      int dot = name.indexOf('.', end + 1);
      if (dot < 0 || dot >= name.lastIndexOf('.')) {
        return name.substring(0, Math.max(0, name.lastIndexOf('.')));
      }
      end = dot;
    }
    return name.substring(0, end);
  }

  /** The frames on top: the tracker and the bootstrap hooks that called it. */
  private static boolean isHookFrame(Class<?> c) {
    return c == RoleClassifier.class
        || c == PoolRegistry.class
        || c == CheckoutTracker.class
        || c.getName().startsWith("io.poolscope.agent.bootstrap.");
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
