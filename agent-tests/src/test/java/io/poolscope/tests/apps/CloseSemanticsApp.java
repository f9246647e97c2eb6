package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closes that real code does: twice on the same connection (close is idempotent per JDBC), and on
 * another thread than the one that borrowed it. Each checkout must still count exactly once.
 *
 * <p>Args: JDBC URL. Prints {@code DONE checkouts=200}.
 */
public final class CloseSemanticsApp {

  static final int PER_KIND = 100;

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    int checkouts = 0;
    ExecutorService closer = Executors.newSingleThreadExecutor();
    try (HikariDataSource pool = Pools.hikari(args[0], 2, "close-pool")) {
      for (int i = 0; i < PER_KIND; i++) {
        Connection connection = pool.getConnection();
        AppMain.selectOne(connection);
        connection.close();
        connection.close();
        checkouts++;
      }
      for (int i = 0; i < PER_KIND; i++) {
        Connection connection = pool.getConnection();
        AppMain.selectOne(connection);
        Future<?> closed = closer.submit(() -> {
          connection.close();
          return null;
        });
        closed.get();
        checkouts++;
      }
      AppMain.sleep(600);
    } finally {
      closer.shutdownNow();
    }
    System.out.println("DONE checkouts=" + checkouts);
  }
}
