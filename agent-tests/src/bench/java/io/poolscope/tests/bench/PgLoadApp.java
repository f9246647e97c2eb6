package io.poolscope.tests.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The PostgreSQL benchmark's app: threads doing checkout, {@code SELECT 1}, close as fast as they can
 * on one HikariCP pool (default size 10), in slices the benchmark asks for on stdin. Between slices
 * the threads wait, so several of these JVMs, one per variant, can stay up side by side and take turns:
 * slices of different variants a few seconds apart see the same machine, where separate runs a minute
 * apart did not.
 *
 * <p>Args: JDBC URL, user, threads. Stdin: {@code slice <ramp ms> <measured ms>} runs the threads for
 * the ramp, then counts the cycles that start and end inside the measured window and prints
 * {@code SLICE ops=N seconds=S meanus=A p50us=X p99us=Y cpums=C loadcpums=L machinems=M}: C the CPU
 * time this process used in the window (all its threads: an agent's background work, the JIT and the
 * GC count), L that of the load threads alone (where the checkouts run), M that of the whole machine
 * (every process, PostgreSQL's included, from {@code /proc/stat}); end of input ends the app.
 */
public final class PgLoadApp {

  /** One turn of the threads; a new object per slice, so a worker tells a new slice from the last. */
  private static final class Slice {
    final CountDownLatch done;
    volatile boolean measuring;
    volatile boolean over;

    Slice(int threads) {
      done = new CountDownLatch(threads);
    }
  }

  private static final OperatingSystemMXBean PROCESS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Object TURN = new Object();
  private static Slice current; // guarded by TURN
  private static boolean ended; // guarded by TURN

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    int threads = Integer.parseInt(args[2]);

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPoolName("bench-pg");
    try (HikariDataSource pool = new HikariDataSource(config)) {
      List<Worker> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Worker worker = new Worker(pool);
        worker.setName("load-" + t);
        worker.setDaemon(true);
        worker.start();
        workers.add(worker);
      }
      System.out.println("READY");
      System.out.flush();
      BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = commands.readLine(); line != null; line = commands.readLine()) {
        String[] words = line.trim().split(" ");
        System.out.println(slice(workers, Long.parseLong(words[1]), Long.parseLong(words[2])));
        System.out.flush();
      }
      synchronized (TURN) {
        ended = true;
        TURN.notifyAll();
      }
    }
  }

  private static String slice(List<Worker> workers, long rampMillis, long measureMillis) throws Exception {
    Slice slice = new Slice(workers.size());
    synchronized (TURN) {
      current = slice;
      TURN.notifyAll();
    }
    Thread.sleep(rampMillis);
    long start = System.nanoTime();
    long cpuStart = PROCESS.getProcessCpuTime();
    long loadCpuStart = loadCpuNanos(workers);
    long machineStart = machineBusyMillis();
    slice.measuring = true;
    Thread.sleep(measureMillis);
    slice.measuring = false;
    long nanos = System.nanoTime() - start;
    long cpuNanos = PROCESS.getProcessCpuTime() - cpuStart;
    long loadCpuNanos = loadCpuNanos(workers) - loadCpuStart;
    long machineMillis = machineBusyMillis() - machineStart;
    slice.over = true;
    slice.done.await();
    long[] latencies = new long[0];
    for (Worker worker : workers) {
      if (worker.failure != null) {
        throw new IllegalStateException("a worker failed", worker.failure);
      }
      int at = latencies.length;
      latencies = Arrays.copyOf(latencies, at + worker.count);
      System.arraycopy(worker.latencies, 0, latencies, at, worker.count);
    }
    Arrays.sort(latencies);
    return "SLICE ops=" + latencies.length
        + " seconds=" + nanos / 1e9
        + " meanus=" + Arrays.stream(latencies).average().orElse(0) / 1e3
        + " p50us=" + percentile(latencies, 0.50) / 1e3
        + " p99us=" + percentile(latencies, 0.99) / 1e3
        + " cpums=" + cpuNanos / 1e6
        + " loadcpums=" + loadCpuNanos / 1e6
        + " machinems=" + machineMillis;
  }

  /** The load threads' CPU time, to the nanosecond (the process's comes in 10 ms ticks). */
  private static long loadCpuNanos(List<Worker> workers) {
    long nanos = 0;
    for (Worker worker : workers) {
      nanos += THREADS.getThreadCpuTime(worker.getId());
    }
    return nanos;
  }

  /**
   * CPU time all processes have used since boot: user, nice, system, irq and softirq of the first
   * line of {@code /proc/stat} (not idle, iowait, nor steal: the hypervisor's), in clock ticks of
   * 10 ms ({@code USER_HZ} is 100 on Linux).
   */
  private static long machineBusyMillis() throws IOException {
    String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int field : new int[] {1, 2, 3, 6, 7}) {
      busy += Long.parseLong(fields[field]);
    }
    return busy * 10;
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  /** One load thread; a slice's latencies go in a plain growing array, read after the slice's latch. */
  private static final class Worker extends Thread {
    private final HikariDataSource pool;
    long[] latencies = new long[1 << 16];
    int count;
    volatile Throwable failure;

    Worker(HikariDataSource pool) {
      this.pool = pool;
    }

    @Override
    public void run() {
      Slice last = null;
      for (Slice slice = next(last); slice != null; slice = next(last)) {
        last = slice;
        count = 0;
        try {
          cycles(slice);
        } catch (Throwable e) {
          failure = e;
        }
        slice.done.countDown();
      }
    }

    private static Slice next(Slice last) {
      synchronized (TURN) {
        while (current == last && !ended) {
          try {
            TURN.wait();
          } catch (InterruptedException e) {
            return null;
          }
        }
        return ended ? null : current;
      }
    }

    private void cycles(Slice slice) throws Exception {
      while (!slice.over) {
        boolean counted = slice.measuring;
        long start = System.nanoTime();
        try (Connection connection = pool.getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT 1")) {
          if (!rows.next() || rows.getInt(1) != 1) {
            throw new IllegalStateException("SELECT 1 returned no 1");
          }
        }
        long latency = System.nanoTime() - start;
        // only cycles wholly inside the window: the same cut for every variant
        if (counted && slice.measuring) {
          record(latency);
        }
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
