package io.poolscope.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The traffic of one worker, each kind in its own method so that it shows up as its own call site:
 * steady short requests, periodic bursts with more threads than connections (threads wait, some time
 * out), one slow code path that holds a connection for about 300 ms, and one leaked connection.
 */
final class Workload {

  private static final int STEADY_THREADS = 3;
  private static final long BURST_EVERY_MILLIS = 10_000;
  private static final long BURST_LENGTH_MILLIS = 3_000;
  private static final long SLOW_PATH_EVERY_MILLIS = 2_000;

  private final DataSource pool;
  private final int poolSize;
  private final int index;
  private final boolean leak;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  Workload(DataSource pool, int poolSize, int index, boolean leak) {
    this.pool = pool;
    this.poolSize = poolSize;
    this.index = index;
    this.leak = leak;
  }

  void start() {
    for (int i = 1; i <= STEADY_THREADS; i++) {
      spawn("steady-" + i, this::steadyTraffic);
    }
    spawn("reports", this::slowReports);
    spawn("bursts", this::bursts);
    if (leak) {
      spawn("leaky-handler", this::leakOneConnection);
    }
  }

  void stop() {
    running = false;
    threads.forEach(Thread::interrupt);
  }

  private void steadyTraffic() {
    while (running) {
      handleRequest();
      pause(5 + ThreadLocalRandom.current().nextInt(20));
    }
  }

  /** The common case: borrow, one short query, give back. */
  private void handleRequest() {
    try (Connection connection = pool.getConnection()) {
      query(connection, "SELECT pg_sleep(0.005)");
    } catch (SQLException e) {
      // a timeout during a burst: the agent counts it, the request is simply dropped
    }
  }

  private void slowReports() {
    while (running) {
      pause(SLOW_PATH_EVERY_MILLIS);
      buildSlowReport();
    }
  }

  /** The slow code path: holds its connection about 300 ms, starving the others meanwhile. */
  private void buildSlowReport() {
    try (Connection connection = pool.getConnection()) {
      query(connection, "SELECT pg_sleep(0.3)");
    } catch (SQLException e) {
      // counted by the agent
    }
  }

  /** Every worker bursts on its own schedule, like uneven load behind a load balancer. */
  private void bursts() {
    pause(3_000 + 2_000L * index);
    while (running) {
      long end = System.currentTimeMillis() + BURST_LENGTH_MILLIS;
      for (int i = 1; i <= 2 * poolSize + 1; i++) {
        spawn("burst-" + i, () -> {
          while (running && System.currentTimeMillis() < end) {
            handleBurstRequest();
          }
        });
      }
      pause(BURST_EVERY_MILLIS);
      threads.removeIf(t -> !t.isAlive());
    }
  }

  /** About twice as many threads as connections: most wait, and some give up after the 1 s timeout. */
  private void handleBurstRequest() {
    try (Connection connection = pool.getConnection()) {
      query(connection, "SELECT pg_sleep(0.15)");
    } catch (SQLException e) {
      // expected now and then: connectionTimeout is 1 s
    }
  }

  private void leakOneConnection() {
    pause(2_000);
    leakConnection();
  }

  /** The bug: a connection is borrowed and dropped without close, so the pool never gets it back. */
  private void leakConnection() {
    try {
      Connection forgotten = pool.getConnection();
      query(forgotten, "SELECT 1");
    } catch (SQLException e) {
      // no leak this time
    }
  }

  private static void query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private void spawn(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      running = false;
      Thread.currentThread().interrupt();
    }
  }
}
