package io.poolscope.tests.apps;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * HikariCP and pgjdbc loaded by a class loader that cannot see the application class loader
 * (its parent is the platform loader, which has java.sql), as in app servers and plugin systems.
 * The agent's hooks are inlined into those classes, so what they call must be reachable from
 * there too.
 *
 * <p>Args: JDBC URL. Prints {@code DONE checkouts=20 loader=isolated}.
 */
public final class IsolatedLoaderApp {

  static final int CHECKOUTS = 20;
  /** Jars the isolated loader gets, by file-name prefix, found on this JVM's classpath. */
  private static final List<String> JARS =
      List.of("HikariCP-", "postgresql-", "slf4j-api-", "slf4j-simple-");

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    try (URLClassLoader isolated = new URLClassLoader(
        "isolated", jarUrls(), ClassLoader.getPlatformClassLoader())) {
      Class<?> configClass = isolated.loadClass("com.zaxxer.hikari.HikariConfig");
      if (configClass == Class.forName("com.zaxxer.hikari.HikariConfig")) {
        throw new IllegalStateException("HikariCP leaked in from the app class loader");
      }
      Properties properties = new Properties();
      properties.setProperty("jdbcUrl", args[0]);
      properties.setProperty("username", AppMain.USER);
      properties.setProperty("driverClassName", "org.postgresql.Driver");
      properties.setProperty("maximumPoolSize", "2");
      properties.setProperty("poolName", "isolated-hikari");
      Object config = configClass.getConstructor(Properties.class).newInstance(properties);

      // HikariCP resolves the driver through the context loader
      Thread.currentThread().setContextClassLoader(isolated);
      Class<?> dataSourceClass = isolated.loadClass("com.zaxxer.hikari.HikariDataSource");
      // java.sql and javax.sql come from the platform loader, shared with this class
      DataSource pool = (DataSource) dataSourceClass.getConstructor(configClass).newInstance(config);
      int checkouts = 0;
      try {
        for (int i = 0; i < CHECKOUTS; i++) {
          try (Connection connection = pool.getConnection()) {
            if (connection.getClass().getClassLoader() != isolated) {
              throw new IllegalStateException("connection not from the isolated loader: "
                  + connection.getClass().getClassLoader());
            }
            AppMain.selectOne(connection);
            checkouts++;
          }
        }
        AppMain.sleep(600);
      } finally {
        ((AutoCloseable) pool).close();
      }
      System.out.println("DONE checkouts=" + checkouts + " loader="
          + dataSourceClass.getClassLoader().getName());
    }
  }

  static URL[] jarUrls() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String prefix : JARS) {
      URL url = null;
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        String fileName = Paths.get(entry).getFileName().toString();
        if (fileName.startsWith(prefix) && fileName.endsWith(".jar")) {
          url = Paths.get(entry).toUri().toURL();
          break;
        }
      }
      if (url == null) {
        throw new IllegalStateException("no " + prefix + "*.jar on the classpath");
      }
      urls.add(url);
    }
    return urls.toArray(URL[]::new);
  }
}
