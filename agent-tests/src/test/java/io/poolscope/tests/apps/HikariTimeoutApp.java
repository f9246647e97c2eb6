package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Real HikariCP timeouts: a pool of one, held by one thread until another thread has asked
 * three times with a 250 ms connectionTimeout (HikariCP's minimum).
 *
 * <p>Args: JDBC URL, optional pool name (default {@code timeout-pool}). Prints
 * {@code DONE timeouts=3}.
 */
public final class HikariTimeoutApp {

  static final int ATTEMPTS = 3;

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    // pending_requests is read at exports only: the 750 ms of waiting must come after the first
    AppMain.awaitAgentExporting();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername(AppMain.USER);
    config.setPoolName(args.length > 1 ? args[1] : "timeout-pool");
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(250);

    int timeouts = 0;
    try (HikariDataSource pool = new HikariDataSource(config)) {
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch attempted = new CountDownLatch(1);
      Thread holder = new Thread(() -> {
        try (Connection connection = pool.getConnection()) {
          AppMain.selectOne(connection);
          held.countDown();
          // held until every attempt has timed out, however slow the machine (not a fixed time)
          attempted.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "holder");
      holder.start();
      held.await();
      for (int i = 0; i < ATTEMPTS; i++) {
        try (Connection connection = pool.getConnection()) {
          throw new IllegalStateException("got a connection while the only one was held");
        } catch (SQLTransientConnectionException expected) {
          timeouts++;
        }
      }
      attempted.countDown();
      holder.join();
      AppMain.sleep(600);
    }
    System.out.println("DONE timeouts=" + timeouts);
  }
}
