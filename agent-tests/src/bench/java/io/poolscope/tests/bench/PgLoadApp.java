package io.poolscope.tests.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The PostgreSQL benchmark's app: threads doing checkout, {@code SELECT 1}, close as fast as they can
 * on one HikariCP pool (default size 10). After a warm-up, counts the cycles that finish inside the
 * measured window and records each one's latency.
 *
 * <p>Args: JDBC URL, user, threads, warm-up seconds, measured seconds. Prints
 * {@code RESULT ops=N seconds=S p50us=X p99us=Y}.
 */
public final class PgLoadApp {

  private static volatile boolean measuring;
  private static volatile boolean stopped;

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    int threads = Integer.parseInt(args[2]);
    long warmupMillis = Long.parseLong(args[3]) * 1000;
    long measureMillis = Long.parseLong(args[4]) * 1000;

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPoolName("bench-pg");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      List<Worker> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Worker worker = new Worker(pool);
        worker.setName("load-" + t);
        worker.start();
        workers.add(worker);
      }
      Thread.sleep(warmupMillis);
      long start = System.nanoTime();
      measuring = true;
      Thread.sleep(measureMillis);
      stopped = true;
      long seconds = System.nanoTime() - start;
      long[] latencies = new long[0];
      for (Worker worker : workers) {
        worker.join();
        if (worker.failure != null) {
          throw new IllegalStateException("a worker failed", worker.failure);
        }
        int at = latencies.length;
        latencies = Arrays.copyOf(latencies, at + worker.count);
        System.arraycopy(worker.latencies, 0, latencies, at, worker.count);
      }
      Arrays.sort(latencies);
      System.out.println("RESULT ops=" + latencies.length
          + " seconds=" + seconds / 1e9
          + " p50us=" + percentile(latencies, 0.50) / 1e3
          + " p99us=" + percentile(latencies, 0.99) / 1e3);
    }
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  /** One load thread; its latencies go in a plain growing array, read after join. */
  private static final class Worker extends Thread {
    private final HikariDataSource pool;
    long[] latencies = new long[1 << 16];
    int count;
    Throwable failure;

    Worker(HikariDataSource pool) {
      this.pool = pool;
    }

    @Override
    public void run() {
      try {
        while (!stopped) {
          boolean counted = measuring;
          long start = System.nanoTime();
          try (Connection connection = pool.getConnection();
              Statement statement = connection.createStatement();
              ResultSet rows = statement.executeQuery("SELECT 1")) {
            if (!rows.next() || rows.getInt(1) != 1) {
              throw new IllegalStateException("SELECT 1 returned no 1");
            }
          }
          long latency = System.nanoTime() - start;
          if (counted && !stopped) {
            record(latency);
          }
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    private void record(long latency) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = latency;
    }
  }
}
