package io.poolscope.tests.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The overhead benchmark (BENCHMARKS.md): startup, per-checkout cost (JMH), heap, jar size and
 * PostgreSQL throughput, each with no agent, poolscope and the OpenTelemetry Java agent, measured
 * side by side in one run. Prints one table and writes it to {@code target/bench/results.md}.
 *
 * <p>Run by the {@code bench} Maven profile. {@code -Dbench.quick=true}: shorter runs;
 * {@code -Dbench.only=startup,jmh,heap,pg}: some sections; {@code -Dbench.diagnostics=true}: also
 * poolscope without borrow-site sampling, in JMH and PostgreSQL, and a second no-agent PostgreSQL
 * lane, as notes under the table.
 */
public final class BenchSuite {

  private static final long STARTED = System.nanoTime();

  public static void main(String[] args) throws Exception {
    boolean diagnostics = Boolean.getBoolean("bench.diagnostics");
    List<String> only = Arrays.asList(System.getProperty("bench.only", "all").split(","));
    try (OtlpSink sink = OtlpSink.start()) {
      BenchEnv env = BenchEnv.fromSystemProperties(sink.endpoint());
      // JMH forks inherit this JVM's class path: the agent must reach them only through -javaagent
      System.setProperty("java.class.path", env.classPath());
      String loadBefore = loadAverage();
      log("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, "
          + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
          + ", load average " + loadBefore + (env.quick() ? ", QUICK pass" : ""));

      Table table = new Table();
      if (wanted(only, "startup")) {
        StartupSection.run(env, table);
      }
      if (wanted(only, "jmh")) {
        new JmhSection(env, diagnostics).run(table);
      }
      if (wanted(only, "heap")) {
        HeapSection.run(env, table);
      }
      HeapSection.jars(env, table);
      if (wanted(only, "pg")) {
        PgSection.run(env, table, diagnostics);
      }
      table.note("Exports: both agents sent to a local OTLP sink with default intervals; received "
          + sink.summary() + ".");
      table.note("Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, "
          + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
          + "; load average before " + loadBefore + ", after " + loadAverage() + "; run took "
          + (System.nanoTime() - STARTED) / 60_000_000_000L + " min"
          + (env.quick() ? "; QUICK pass (shorter runs)" : "") + "; " + Instant.now() + ".");

      String markdown = table.markdown(
          "poolscope variant (startup: `otel.metrics.exporter=none`; others: `spans=all`, `callsite.interval=0`)");
      Files.createDirectories(env.dir());
      Path results = env.dir().resolve("results.md");
      Files.writeString(results, markdown, StandardCharsets.UTF_8);
      System.out.println();
      System.out.println(markdown);
      log("written to " + results + "; child logs in " + env.logs());
    }
  }

  private static boolean wanted(List<String> only, String section) {
    return only.contains("all") || only.contains(section);
  }

  /** 1, 5 and 15 minute load averages: how busy the shared machine was. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  static void log(String message) {
    long seconds = (System.nanoTime() - STARTED) / 1_000_000_000L;
    System.out.println("[bench " + seconds / 60 + ":" + String.format("%02d", seconds % 60) + "] "
        + message);
    System.out.flush();
  }

  private BenchSuite() {}
}
