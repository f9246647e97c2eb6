package io.poolscope.tests.apps;

import java.lang.ref.WeakReference;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * A webapp's life in a servlet container: a class loader of its own (parent = platform loader)
 * loads HikariCP and pgjdbc, runs checkouts, closes its pool, deregisters its driver, and is
 * dropped. Nothing outside may keep it: the app then collects garbage until a weak reference to
 * the loader is cleared, or gives up after {@code waitMs}.
 *
 * <p>Args: JDBC URL, then {@code checkouts=N waitMs=N}. Prints
 * {@code DONE checkouts=N loaderCollected=true|false}.
 */
public final class ClassLoaderLeakApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    var options = AppMain.options(args, 1);
    int checkouts = AppMain.intOption(options, "checkouts", 40);
    int waitMillis = AppMain.intOption(options, "waitMs", 8000);

    WeakReference<ClassLoader> loader = runWebapp(args[0], checkouts);
    long deadline = System.nanoTime() + waitMillis * 1_000_000L;
    while (loader.get() != null && System.nanoTime() < deadline) {
      System.gc();
      AppMain.sleep(100);
    }
    // a few export intervals after the drop: the exporter has run with the loader gone
    AppMain.sleep(600);
    System.out.println("DONE checkouts=" + checkouts + " loaderCollected=" + (loader.get() == null));
  }

  /** Everything of the webapp stays in this frame: only a weak reference leaves it. */
  private static WeakReference<ClassLoader> runWebapp(String url, int checkouts) throws Exception {
    URLClassLoader webapp = new URLClassLoader(
        "webapp", IsolatedLoaderApp.jarUrls(), ClassLoader.getPlatformClassLoader());
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(webapp); // HikariCP resolves the driver through it
    try {
      Class<?> configClass = webapp.loadClass("com.zaxxer.hikari.HikariConfig");
      Properties properties = new Properties();
      properties.setProperty("jdbcUrl", url);
      properties.setProperty("username", AppMain.USER);
      properties.setProperty("driverClassName", "org.postgresql.Driver");
      properties.setProperty("maximumPoolSize", "2");
      properties.setProperty("poolName", "webapp-pool");
      Object config = configClass.getConstructor(Properties.class).newInstance(properties);
      DataSource pool = (DataSource) webapp.loadClass("com.zaxxer.hikari.HikariDataSource")
          .getConstructor(configClass).newInstance(config);
      try {
        for (int i = 0; i < checkouts; i++) {
          try (Connection connection = pool.getConnection()) {
            AppMain.selectOne(connection);
          }
        }
        AppMain.sleep(600); // exports run while the pool is alive
      } finally {
        ((AutoCloseable) pool).close();
      }
      // what a container's leak prevention does: the driver's own DriverManager entry goes
      webapp.loadClass("org.postgresql.Driver").getMethod("deregister").invoke(null);
      webapp.close();
      return new WeakReference<>(webapp);
    } finally {
      current.setContextClassLoader(previous);
    }
  }
}
