package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an app sees of its own work, for comparing runs with and without the agent: rows read,
 * SQL errors by SQLState, checkouts done, through a HikariCP pool (threads, double closes, a
 * failing statement) and through DriverManager. Its stdout is deterministic.
 *
 * <p>Args: JDBC URL, then {@code threads=N checkouts=N (per thread) driverManager=N restMs=N
 * exit=system|return}. With {@code exit=return} main simply returns, so any non-daemon thread the
 * agent left behind would keep the JVM alive. Prints {@code EXIT_AT=<epoch ms>} on stderr last.
 */
public final class MixedWorkloadApp {

  public static final String POOL = "mixed-pool";

  public static void main(String[] args) throws Exception {
    Map<String, String> options = AppMain.options(args, 1);
    if ("return".equals(options.get("exit"))) {
      run(args[0], options);
      return;
    }
    AppMain.run(() -> run(args[0], options));
  }

  private static void run(String url, Map<String, String> options) throws Exception {
    int threads = AppMain.intOption(options, "threads", 4);
    int perThread = AppMain.intOption(options, "checkouts", 50);
    int driverManager = AppMain.intOption(options, "driverManager", 5);
    int restMillis = AppMain.intOption(options, "restMs", 600);

    AtomicLong rows = new AtomicLong();
    AtomicLong checkouts = new AtomicLong();
    Map<String, Integer> sqlErrors = new TreeMap<>();
    try (HikariDataSource pool = Pools.hikari(url, 3, POOL)) {
      List<Thread> workers = new ArrayList<>();
      List<Throwable> failures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker = new Thread(() -> {
          try {
            for (int i = 0; i < perThread; i++) {
              Connection connection = pool.getConnection();
              rows.addAndGet(countRows(connection, 1 + i % 7));
              connection.close();
              if (i % 10 == 0) {
                connection.close(); // a second close is a no-op for HikariCP: it must stay one
              }
              checkouts.incrementAndGet();
            }
          } catch (Throwable e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        }, "mixed-worker-" + t);
        worker.start();
        workers.add(worker);
      }
      for (Thread worker : workers) {
        worker.join();
      }
      if (!failures.isEmpty()) {
        throw new IllegalStateException("a worker failed", failures.get(0));
      }
      // a statement the server rejects: the app must see exactly the server's error
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
        statement.executeQuery("SELEC 1");
      } catch (SQLException e) {
        sqlErrors.merge(e.getSQLState(), 1, Integer::sum);
      }
      Properties login = new Properties();
      login.setProperty("user", AppMain.USER);
      for (int i = 0; i < driverManager; i++) {
        try (Connection connection = DriverManager.getConnection(url, login)) {
          rows.addAndGet(countRows(connection, 3));
          checkouts.incrementAndGet();
        }
      }
      // a login the driver refuses: an unknown database
      try (Connection connection = DriverManager.getConnection(url + "_missing", login)) {
        throw new IllegalStateException("connected to a database that does not exist");
      } catch (SQLException e) {
        sqlErrors.merge(e.getSQLState(), 1, Integer::sum);
      }
      AppMain.sleep(restMillis);
    }
    System.out.println("rows=" + rows.get());
    System.out.println("checkouts=" + checkouts.get());
    System.out.println("sqlErrors=" + sqlErrors);
    System.out.println("DONE");
    System.out.flush();
    System.err.println("EXIT_AT=" + System.currentTimeMillis());
  }

  private static long countRows(Connection connection, int n) throws SQLException {
    long count = 0;
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT generate_series(1, " + n + ")")) {
      while (result.next()) {
        count++;
      }
    }
    return count;
  }
}
