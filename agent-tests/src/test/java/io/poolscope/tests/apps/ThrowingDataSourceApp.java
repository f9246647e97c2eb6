package io.poolscope.tests.apps;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A home-made DataSource whose getConnection throws on every 3rd call and whose connections'
 * close() throws after really closing: the app records every exception it sees, in order, so the
 * runs with and without the agent can be compared line by line.
 *
 * <p>The connection proxies are defined in the app's class loader ({@code proxyLoader=app}) or, as
 * code that passes {@code Connection.class.getClassLoader()} does, in the platform class loader
 * ({@code proxyLoader=platform}).
 *
 * <p>Args: JDBC URL, number of attempts, {@code app|platform}. Prints one line per attempt, then
 * {@code DONE attempts=N failedGets=F failedCloses=C}.
 */
public final class ThrowingDataSourceApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args[0], Integer.parseInt(args[1]), args[2]));
  }

  private static void run(String url, int attempts, String proxyLoader) throws Exception {
    ClassLoader loader = switch (proxyLoader) {
      case "app" -> ThrowingDataSourceApp.class.getClassLoader();
      case "platform" -> Connection.class.getClassLoader();
      default -> throw new IllegalArgumentException("proxy loader app or platform: " + proxyLoader);
    };
    DataSource dataSource = new ThrowingDataSource(Pools.pgSimple(url), loader);
    int failedGets = 0;
    int failedCloses = 0;
    for (int i = 1; i <= attempts; i++) {
      Connection connection;
      try {
        connection = dataSource.getConnection();
      } catch (SQLException e) {
        failedGets++;
        System.out.println(i + " getConnection threw " + describe(e));
        continue;
      }
      AppMain.selectOne(connection);
      try {
        connection.close();
        System.out.println(i + " close returned");
      } catch (SQLException e) {
        failedCloses++;
        System.out.println(i + " close threw " + describe(e));
      }
    }
    AppMain.sleep(600);
    System.out.println("DONE attempts=" + attempts + " failedGets=" + failedGets
        + " failedCloses=" + failedCloses);
  }

  private static String describe(SQLException e) {
    return e.getClass().getName() + " [" + e.getSQLState() + "] " + e.getMessage()
        + (e.getCause() == null ? "" : " caused by " + e.getCause());
  }

  /** Fails every 3rd getConnection; hands out connections whose close() throws. */
  static final class ThrowingDataSource extends DataSourceAdapter {
    private final DataSource real;
    private final ClassLoader proxyLoader;
    private int calls;

    ThrowingDataSource(DataSource real, ClassLoader proxyLoader) {
      this.real = real;
      this.proxyLoader = proxyLoader;
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
      if (++calls % 3 == 0) {
        throw new SQLException("scripted refusal of call " + calls, "08004");
      }
      Connection connection = real.getConnection();
      return (Connection) Proxy.newProxyInstance(proxyLoader,
          new Class<?>[] {Connection.class}, new CloseThrows(connection));
    }
  }

  /** Delegates everything; close() closes the real connection, then reports a failure. */
  private record CloseThrows(Connection real) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args)
        throws Throwable {
      try {
        Object result = method.invoke(real, args);
        if (method.getName().equals("close") && method.getParameterCount() == 0) {
          throw new SQLException("scripted close failure", "08006");
        }
        return result;
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
