package io.poolscope.tests.bench;

import io.poolscope.tests.bench.Table.Column;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * The per-checkout cost: {@link CheckoutBench} in forks that differ only in their agent flags. Rounds
 * go variant by variant, one fork each, so the machine's load spreads over all variants. A cell is
 * the median of every measured iteration of every round, with their range: on a shared machine the
 * mean is decided by whoever else runs at the time, the median far less.
 */
final class JmhSection {

  private static final String ALLOC = "gc.alloc.rate.norm";

  /** Fixed heap so the collector behaves alike in every fork. */
  private static final List<String> FORK_JVM = List.of("-Xms1g", "-Xmx1g");

  private record Case(String benchmark, int threads) {
    String key() {
      return benchmark + "/" + threads;
    }
  }

  /** All iterations of one case and variant, over the rounds. */
  private static final class Figures {
    final ListStatistics nanos = new ListStatistics();
    final ListStatistics bytes = new ListStatistics();
  }

  private final BenchEnv env;
  private final Map<Variant, Column> columns = new LinkedHashMap<>();
  private final Map<String, Map<Variant, Figures>> figures = new LinkedHashMap<>();

  JmhSection(BenchEnv env, boolean diagnostics) {
    this.env = env;
    columns.put(Variant.NONE, Column.NONE);
    columns.put(Variant.POOLSCOPE, Column.POOLSCOPE);
    columns.put(Variant.POOLSCOPE_ALL, Column.VARIANT);
    columns.put(Variant.OTEL, Column.OTEL);
    if (diagnostics) {
      columns.put(Variant.POOLSCOPE_NO_SITES, null);
    }
  }

  void run(Table table) throws RunnerException, IOException {
    List<Case> cases = List.of(
        new Case("pooled", 1), new Case("pooled", 2), new Case("unpooled", 1), new Case("unpooled", 2));
    // more rounds (-Dbench.jmh.rounds; 0: the default) are more forks: JIT and memory layout differ
    // between forks more than between a fork's iterations
    int asked = Integer.getInteger("bench.jmh.rounds", 0);
    int rounds = asked > 0 ? asked : env.quick() ? 1 : 4;
    // JMH copies the forks' stderr (agent banners, SDK warnings) to ours: keep it in a file instead
    PrintStream console = System.err;
    Files.createDirectories(env.logs());
    try (PrintStream forks = new PrintStream(
        Files.newOutputStream(env.logs().resolve("jmh-forks-stderr.log")), true, StandardCharsets.UTF_8)) {
      System.setErr(forks);
      for (int round = 1; round <= rounds; round++) {
        for (Variant variant : Stats.turn(columns.keySet(), round)) {
          for (Case c : cases) {
            measure(variant, c, round);
          }
        }
      }
      measure(Variant.NONE, new Case("nanoTime", 1), 1);
    } finally {
      System.setErr(console);
    }
    report(table, cases);
  }

  private void measure(Variant variant, Case c, int round) throws RunnerException {
    List<String> jvmArgs = new ArrayList<>(FORK_JVM);
    jvmArgs.addAll(variant.jvmArgs(env));
    Options options = new OptionsBuilder()
        .include(Pattern.quote(CheckoutBench.class.getName() + "." + c.benchmark()) + "$")
        .threads(c.threads())
        .forks(1)
        .warmupIterations(env.quick() ? 3 : 4)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(env.quick() ? 3 : 5)
        .measurementTime(TimeValue.seconds(1))
        .jvmArgs(jvmArgs.toArray(String[]::new))
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .output(env.logs().resolve("jmh-" + variant + "-" + c.benchmark() + "-" + c.threads()
            + "t-round" + round + ".log").toString())
        .build();
    RunResult result = new Runner(options).runSingle();
    Figures f = figures.computeIfAbsent(c.key(), k -> new EnumMap<>(Variant.class))
        .computeIfAbsent(variant, v -> new Figures());
    for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
      for (IterationResult iteration : benchmark.getIterationResults()) {
        f.nanos.addValue(iteration.getPrimaryResult().getScore());
        Result<?> alloc = secondary(iteration, ALLOC);
        if (alloc != null) {
          f.bytes.addValue(alloc.getScore());
        }
      }
    }
    BenchSuite.log("jmh " + c.key() + " " + variant + " round " + round + ": "
        + Table.fixed(result.getPrimaryResult().getScore(), 1) + " ns/op; all rounds so far: "
        + cell(f.nanos, 1) + " ns/op, " + cell(f.bytes, 1) + " B/op");
  }

  private static Result<?> secondary(IterationResult iteration, String suffix) {
    for (Map.Entry<String, Result> entry : iteration.getSecondaryResults().entrySet()) {
      if (entry.getKey().endsWith(suffix)) {
        return entry.getValue();
      }
    }
    return null;
  }

  private void report(Table table, List<Case> cases) {
    for (Case c : cases) {
      Map<Variant, Figures> byVariant = figures.get(c.key());
      String what = (c.benchmark().equals("pooled")
          ? "pooled checkout cycle (HikariCP on stub driver)"
          : "unpooled checkout cycle (new stub connection per call)")
          + ", " + c.threads() + (c.threads() == 1 ? " thread" : " threads");
      Figures none = byVariant.get(Variant.NONE);
      Figures poolscope = byVariant.get(Variant.POOLSCOPE);
      Figures otel = byVariant.get(Variant.OTEL);
      double nsDelta = median(poolscope.nanos) - median(none.nanos);
      // JMH's per-op allocation wobbles by hundredths of a byte: under one byte is none
      double bytesDelta = median(poolscope.bytes) - median(none.bytes);
      boolean pooled = c.benchmark().equals("pooled");
      table.addText(what + ": ns/op", cells(byVariant, f -> f.nanos, 1),
          pooled ? "≤ +150 ns, ≤ OTel" : "≤ OTel",
          pooled
              ? Table.verdict(nsDelta <= 150, median(poolscope.nanos) <= median(otel.nanos))
              : Table.verdict(median(poolscope.nanos) <= median(otel.nanos)));
      table.addText(what + ": B/op", cells(byVariant, f -> f.bytes, 0),
          pooled ? "+0 B/op, ≤ OTel" : "≤ OTel",
          pooled
              ? Table.verdict(bytesDelta < 1, median(poolscope.bytes) < median(otel.bytes) + 1)
              : Table.verdict(median(poolscope.bytes) < median(otel.bytes) + 1));
      Figures noSites = byVariant.get(Variant.POOLSCOPE_NO_SITES);
      if (noSites != null) {
        table.note("Diagnostic, " + what + ", " + Variant.POOLSCOPE_NO_SITES.label + ": "
            + cell(noSites.nanos, 1) + " ns/op, " + cell(noSites.bytes, 0) + " B/op.");
      }
    }
    Figures clock = figures.get(new Case("nanoTime", 1).key()).get(Variant.NONE);
    Map<Column, String> cells = new EnumMap<>(Column.class);
    cells.put(Column.NONE, cell(clock.nanos, 1));
    table.addText("System.nanoTime(), 1 thread: ns/op (the clock's own cost)", cells,
        "for scale: ≤ 3 reads per cycle", "—");
  }

  private Map<Column, String> cells(
      Map<Variant, Figures> byVariant,
      java.util.function.Function<Figures, ListStatistics> which,
      int decimals) {
    Map<Column, String> cells = new EnumMap<>(Column.class);
    double base = median(which.apply(byVariant.get(Variant.NONE)));
    byVariant.forEach((variant, f) -> {
      Column column = columns.get(variant);
      if (column == null) {
        return;
      }
      ListStatistics stats = which.apply(f);
      String cell = cell(stats, decimals);
      if (column != Column.NONE) {
        cell += " (" + Table.signed(median(stats) - base, decimals) + ")";
      }
      cells.put(column, cell);
    });
    return cells;
  }

  /** Median, then the range of the iterations: {@code 612.0 [540.3–890.1]}. */
  private static String cell(ListStatistics stats, int decimals) {
    return Table.fixed(median(stats), decimals)
        + " [" + Table.fixed(stats.getMin(), decimals) + "–" + Table.fixed(stats.getMax(), decimals) + "]";
  }

  private static double median(ListStatistics stats) {
    return stats.getPercentile(50);
  }
}
