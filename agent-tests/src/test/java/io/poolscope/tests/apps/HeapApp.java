package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Map;

/**
 * Measures the heap in use after full collections before and after a workload, for bounding what
 * the agent retains. Workloads:
 * <ul>
 *   <li>{@code leak}: a home-made unpooled DataSource hands out a new tiny fake connection per call;
 *       the app drops every one without close();
 *   <li>{@code steady}: HikariCP checkouts against the server for {@code durationMs}.
 * </ul>
 *
 * <p>Args: JDBC URL, then {@code workload=leak|steady checkouts=N durationMs=N}. Prints
 * {@code DONE workload=... checkouts=N} on stdout and {@code HEAP_BEFORE=bytes},
 * {@code HEAP_AFTER=bytes} on stderr (they differ from run to run).
 */
public final class HeapApp {

  public static final String STEADY_POOL = "steady-pool";

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    Map<String, String> options = AppMain.options(args, 1);
    String workload = options.getOrDefault("workload", "leak");
    // warm up: the agent's exporter has started and exported a few times, so its own one-time
    // allocations (HTTP client, marshalers) are in the baseline, not counted as retained connections
    AppMain.awaitAgentExporting();
    AppMain.sleep(1000);
    long before = usedAfterGc();
    long checkouts = switch (workload) {
      case "leak" -> leak(AppMain.intOption(options, "checkouts", 100_000));
      case "steady" -> steady(args[0], AppMain.intOption(options, "durationMs", 20_000));
      default -> throw new IllegalArgumentException("unknown workload " + workload);
    };
    usedAfterGc();
    // many export intervals: collected connections are settled as abandoned at an export (or the
    // next checkout), which may take a while on a busy machine
    AppMain.sleep(3000);
    long after = usedAfterGc();
    System.err.println("HEAP_BEFORE=" + before);
    System.err.println("HEAP_AFTER=" + after);
    System.out.println("DONE workload=" + workload + " checkouts=" + checkouts);
  }

  private static long leak(int checkouts) throws Exception {
    DataSourceAdapter unpooled = new DataSourceAdapter() {
      @Override
      public Connection getConnection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class}, (proxy, method, methodArgs) -> null);
      }
    };
    for (int i = 0; i < checkouts; i++) {
      if (unpooled.getConnection() == null) {
        throw new IllegalStateException("no connection");
      }
    }
    return checkouts;
  }

  private static long steady(String url, int durationMillis) throws Exception {
    long checkouts = 0;
    try (HikariDataSource pool = Pools.hikari(url, 2, STEADY_POOL)) {
      long end = System.nanoTime() + durationMillis * 1_000_000L;
      while (System.nanoTime() < end) {
        try (Connection connection = pool.getConnection()) {
          AppMain.selectOne(connection);
        }
        checkouts++;
        if (checkouts % 100 == 0) {
          AppMain.sleep(5);
        }
      }
    }
    return checkouts;
  }

  /**
   * Heap in use after collections, the least of five spaced 300 ms apart: objects the agent frees on
   * its own threads (it settles collected connections once a second) are gone by then.
   */
  static long usedAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      AppMain.sleep(300);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

}
