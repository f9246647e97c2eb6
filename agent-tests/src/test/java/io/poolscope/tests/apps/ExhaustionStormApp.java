package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool exhaustion storm: 200 threads released at once on a HikariCP pool of 5 with a 250 ms
 * connectionTimeout (HikariCP's minimum), each holding its connection for 50 ms. Most of them time
 * out; the app counts what it saw itself.
 *
 * <p>Args: JDBC URL. Prints {@code DONE attempts=200 timeouts=T checkouts=C}.
 */
public final class ExhaustionStormApp {

  public static final String POOL = "storm-pool";
  static final int THREADS = 200;

  public static void main(String[] args) {
    AppMain.run(() -> run(args[0]));
  }

  private static void run(String url) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(AppMain.USER);
    config.setPoolName(POOL);
    config.setMaximumPoolSize(5);
    config.setConnectionTimeout(250);

    AtomicInteger timeouts = new AtomicInteger();
    AtomicInteger checkouts = new AtomicInteger();
    AtomicInteger attempts = new AtomicInteger();
    List<Throwable> unexpected = new ArrayList<>();
    try (HikariDataSource pool = new HikariDataSource(config)) {
      // the pool is full before the storm, so every timeout is exhaustion, not a slow first open
      try (Connection warm = pool.getConnection()) {
        AppMain.selectOne(warm);
      }
      while (pool.getHikariPoolMXBean().getTotalConnections() < 5) {
        AppMain.sleep(20);
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread thread = new Thread(() -> {
          try {
            go.await();
            attempts.incrementAndGet();
            try (Connection connection = pool.getConnection()) {
              AppMain.selectOne(connection);
              Thread.sleep(50);
              checkouts.incrementAndGet();
            } catch (SQLTransientConnectionException e) {
              timeouts.incrementAndGet();
            }
          } catch (Throwable e) {
            synchronized (unexpected) {
              unexpected.add(e);
            }
          }
        }, "storm-" + t);
        thread.start();
        threads.add(thread);
      }
      go.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      if (!unexpected.isEmpty()) {
        throw new IllegalStateException(unexpected.size() + " unexpected failures", unexpected.get(0));
      }
      AppMain.sleep(600);
    }
    System.out.println("DONE attempts=" + attempts.get() + " timeouts=" + timeouts.get()
        + " checkouts=" + checkouts.get());
  }
}
