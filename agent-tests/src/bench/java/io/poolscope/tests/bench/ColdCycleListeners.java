package io.poolscope.tests.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.poolscope.agent.bootstrap.JdbcListener;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The cold pooled cycle of {@code CheckoutBench.pooledParked} with two listeners behind poolscope's
 * hooks, taking turns in blocks of one JVM; each fork gives their difference free of the spread
 * between JVMs, which in {@code pooledParked} forks is wider than the tracker's share (BENCHMARKS.md,
 * steps 32 and 33). Two, not more: with two the JIT inlines both behind a type check, as it inlines
 * production's one listener; a third makes the hook's call a virtual one and the listeners' code
 * methods of their own, a shape production never has. Run by hand, with the agent and {@code
 * -Dpoolscope.driver.packages=io.poolscope.tests.bench}. Args: rounds, cycles per block, two of
 * {@code tracker} (poolscope's), {@code floor} ({@link Floor}), {@code clockless} ({@link
 * Clockless}), {@code noop}. Prints each one's median of its blocks' median cycles, and the first
 * one's excess over the second.
 */
public final class ColdCycleListeners {

  static volatile Connection sink;

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    long[] cycles = new long[Integer.parseInt(args[1])];
    // the hooks' listener field: on the bootstrap path, which the agent appended
    Field listener = Class.forName("io.poolscope.agent.bootstrap.JdbcHooks").getDeclaredField("listener");
    listener.setAccessible(true);
    Map<JdbcListener, List<Double>> medians = new IdentityHashMap<>();
    List<JdbcListener> listeners;
    CheckoutBench.Parked parked = new CheckoutBench.Parked();
    // the pool's connects are the first JDBC calls: they replace the start-up listener with the tracker
    try (HikariDataSource pool = StubPools.hikari()) {
      JdbcListener tracker = (JdbcListener) listener.get(null);
      if (!tracker.getClass().getSimpleName().equals("CheckoutTracker")) {
        throw new IllegalStateException("the hooks call " + tracker.getClass() + ", not the tracker");
      }
      Map<String, JdbcListener> byName =
          Map.of("tracker", tracker, "floor", new Floor(), "clockless", new Clockless(),
              "noop", JdbcListener.NOOP);
      listeners = List.of(named(byName, args[2]), named(byName, args[3]));
      try {
        for (int i = 0; i < 300_000; i++) { // all compiled in, as in the blocks
          listener.set(null, listeners.get(i / 1_000 % listeners.size()));
          cycle(pool);
        }
        for (int round = 0; round < rounds; round++) {
          for (JdbcListener next : Stats.turn(listeners, round)) { // a drift weighs on all alike
            listener.set(null, next);
            medians.computeIfAbsent(next, l -> new ArrayList<>())
                .add(medianColdCycle(pool, parked, cycles));
          }
        }
      } finally {
        listener.set(null, tracker);
      }
    }
    double first = Stats.median(medians.get(listeners.get(0)));
    double second = Stats.median(medians.get(listeners.get(1)));
    System.out.printf("%s %.0f ns, %s %.0f ns: %+.0f ns%n", args[2], first, args[3], second, first - second);
  }

  private static JdbcListener named(Map<String, JdbcListener> byName, String name) {
    JdbcListener named = byName.get(name);
    if (named == null) {
      throw new IllegalArgumentException("no listener " + name + ": one of " + byName.keySet());
    }
    return named;
  }

  private static double medianColdCycle(
      HikariDataSource pool, CheckoutBench.Parked parked, long[] cycles) throws SQLException {
    for (int i = 0; i < 50; i++) { // the listener just changed: settle first
      parked.park();
      cycle(pool);
    }
    for (int i = 0; i < cycles.length; i++) {
      parked.park();
      long start = System.nanoTime();
      cycle(pool);
      cycles[i] = System.nanoTime() - start;
    }
    return Stats.median(Arrays.stream(cycles).mapToObj(c -> (double) c).toList());
  }

  private static void cycle(HikariDataSource pool) throws SQLException {
    Connection connection = pool.getConnection();
    connection.close();
    sink = connection;
  }

  /**
   * What any listener timing waits and holds pays at least: three clock reads and one record per
   * thread (found by thread id in a static table), holding the connection. No pools, no slots, no
   * histograms, no leak watch.
   */
  static class Floor implements JdbcListener {

    private static final class Held {
      Object connection;
      long start;
      long since;
      long waits;
      long holds;
    }

    private static final Held[] BY_THREAD_ID = new Held[256];

    private static Held held() {
      int place = (int) Thread.currentThread().getId() & 255;
      Held held = BY_THREAD_ID[place];
      if (held == null) {
        held = new Held();
        BY_THREAD_ID[place] = held;
      }
      return held;
    }

    long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Object getConnectionEnter(Object dataSource) {
      Held held = held();
      held.start = nanoTime();
      return held;
    }

    @Override
    public void getConnectionExit(Object state, Object connection, Throwable thrown) {
      Held held = (Held) state;
      long now = nanoTime();
      held.waits += now - held.start;
      held.since = now;
      held.connection = connection;
    }

    @Override
    public void connectionClose(Object connection) {
      Held held = held();
      if (held.connection == connection) {
        held.holds += nanoTime() - held.since;
        held.connection = null;
      }
    }

    @Override
    public Object driverConnectEnter(String url) {
      return null;
    }

    @Override
    public Properties driverConnectInfo(Object state, String url, Properties info) {
      return info;
    }

    @Override
    public String driverConnectUrl(Object state, String url) {
      return url;
    }

    @Override
    public void driverConnectExit(Object state, Object connection, Throwable thrown) {}
  }

  /** {@link Floor} without its clock reads: what the floor's record costs alone. */
  static final class Clockless extends Floor {
    @Override
    long nanoTime() {
      return 0;
    }
  }
}
