package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service that keeps checking connections out of HikariCP (2 threads, max 4, min idle 4) while
 * its PostgreSQL may go away and come back. It counts what it sees itself: successful checkouts,
 * getConnection failures, and checkouts whose statement failed (a connection the restart killed).
 * Prints {@code READY at=EPOCH_MS} after the pool is full; commands ({@link Commands}):
 * {@code pause} stops the workers and prints {@code STATS ok=N getConnectionErrors=N
 * queryErrors=N}; {@code exit} closes the pool and exits.
 *
 * <p>Args: JDBC URL, then {@code control=DIR}.
 */
public final class RestartWorkloadApp {

  public static final String POOL = "restart-pool";

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    Map<String, String> options = AppMain.options(args, 1);
    Commands commands = new Commands(options.get("control"));
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername(AppMain.USER);
    config.setPoolName(POOL);
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(4);
    // fail fast while the server is down; HikariCP validates a connection idle > 500 ms on borrow
    config.setConnectionTimeout(1000);
    config.setValidationTimeout(250);
    AtomicLong ok = new AtomicLong();
    AtomicLong getConnectionErrors = new AtomicLong();
    AtomicLong queryErrors = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      while (pool.getHikariPoolMXBean().getTotalConnections() < 4) {
        AppMain.sleep(20);
      }
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread worker = new Thread(() -> {
          while (running.get()) {
            Connection connection;
            try {
              connection = pool.getConnection();
            } catch (SQLException e) {
              getConnectionErrors.incrementAndGet();
              continue;
            }
            try (connection) {
              AppMain.selectOne(connection);
              ok.incrementAndGet();
            } catch (SQLException e) {
              queryErrors.incrementAndGet();
            }
            AppMain.sleep(10);
          }
        }, "restart-worker-" + t);
        worker.start();
        workers.add(worker);
      }
      System.out.println("READY at=" + System.currentTimeMillis());
      while (true) {
        String command = commands.next();
        if (Commands.verb(command).equals("pause")) {
          running.set(false);
          for (Thread worker : workers) {
            worker.join();
          }
          System.out.println("STATS ok=" + ok.get() + " getConnectionErrors="
              + getConnectionErrors.get() + " queryErrors=" + queryErrors.get());
          Commands.done(command);
        } else if (Commands.verb(command).equals("exit")) {
          Commands.done(command);
          return;
        } else {
          throw new IllegalArgumentException("unknown command " + command);
        }
      }
    }
  }
}
