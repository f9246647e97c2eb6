package io.poolscope.tests.bench;

import io.poolscope.tests.bench.Table.Column;
import io.poolscope.tests.support.AgentCli;
import io.poolscope.tests.support.SharedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;

/**
 * Real round trips: {@link PgLoadApp} with 8 threads against one embedded PostgreSQL. One child JVM
 * per variant, all up at once and warmed, take turns in short slices, each cycle in a shuffled order.
 * A variant's figure is its median slice; its share of no agent is the median, over cycles, of its
 * slice divided by no agent's slice of the same cycle: slices seconds apart see the same machine, where
 * whole runs a minute apart varied by ±20 % on this shared machine and hid a 1 % difference.
 *
 * <p>Paired slices leave each JVM's own effect (two identical no-agent JVMs come out 1–2.5 % apart,
 * run after run), which is the size of the 99 % budget. So one more JVM starts without an agent and
 * gets poolscope through {@code attach} halfway: its share of no agent after, over its share before,
 * is poolscope's cost with that JVM's own effect cancelled. Each slice also reports the CPU time its
 * JVM and the whole machine used: what poolscope adds per cycle, next to what a cycle costs in all.
 */
final class PgSection {

  static final int THREADS = 8;

  private static final DoubleBinaryOperator RATIO = (lane, base) -> lane / base;
  private static final DoubleBinaryOperator DIFFERENCE = (lane, base) -> lane - base;

  /**
   * One JVM taking turns: a variant, the table column it fills (none for diagnostics), and whether
   * poolscope is attached to it halfway.
   */
  private record Lane(String label, Variant variant, Column column, boolean attachedHalfway) {}

  /** A lane's slices, by measured cycle. CPU figures are µs per checkout cycle. */
  private static final class Slices {
    final double[] rate;
    final double[] mean;
    final double[] p50;
    final double[] p99;
    final double[] cpu;
    /** Of {@link #cpu}: the load threads' (where the checkouts run), and the rest (JIT, GC, agent threads). */
    final double[] loadCpu;
    final double[] otherCpu;
    final double[] machineCpu;

    Slices(int cycles) {
      rate = new double[cycles];
      mean = new double[cycles];
      p50 = new double[cycles];
      p99 = new double[cycles];
      cpu = new double[cycles];
      loadCpu = new double[cycles];
      otherCpu = new double[cycles];
      machineCpu = new double[cycles];
    }

    void put(int cycle, Launch.Result slice) {
      double ops = slice.number("SLICE", "ops");
      rate[cycle] = ops / slice.number("SLICE", "seconds");
      mean[cycle] = slice.number("SLICE", "meanus");
      p50[cycle] = slice.number("SLICE", "p50us");
      p99[cycle] = slice.number("SLICE", "p99us");
      cpu[cycle] = 1000 * slice.number("SLICE", "cpums") / ops;
      loadCpu[cycle] = 1000 * slice.number("SLICE", "loadcpums") / ops;
      otherCpu[cycle] = cpu[cycle] - loadCpu[cycle];
      machineCpu[cycle] = 1000 * slice.number("SLICE", "machinems") / ops;
    }
  }

  private PgSection() {}

  static void run(BenchEnv env, Table table, boolean diagnostics) throws Exception {
    List<Lane> lanes = new ArrayList<>();
    lanes.add(new Lane("no agent", Variant.NONE, Column.NONE, false));
    lanes.add(new Lane("poolscope", Variant.POOLSCOPE, Column.POOLSCOPE, false));
    lanes.add(new Lane(Variant.POOLSCOPE_ALL.label, Variant.POOLSCOPE_ALL, Column.VARIANT, false));
    lanes.add(new Lane("OpenTelemetry agent", Variant.OTEL, Column.OTEL, false));
    lanes.add(new Lane("poolscope attached halfway", Variant.NONE, null, true));
    if (diagnostics) {
      // a second JVM without agent: how far apart two identical lanes come out, the method's resolution
      lanes.add(new Lane("no agent, second JVM", Variant.NONE, null, false));
    }
    int asked = Integer.getInteger("bench.pg.cycles", 0);
    int cycles = asked > 0 ? asked : env.quick() ? 4 : 48;
    int half = cycles / 2;
    // unmeasured cycles first, and again after the attach: every lane's JIT and connections warm,
    // the attached lane's retransformed methods compiled again
    int warmupCycles = env.quick() ? 2 : 4;
    long rampMillis = 250;
    long sliceMillis = 2000;

    List<Launch.Live> jvms = new ArrayList<>();
    try {
      for (Lane lane : lanes) {
        // -Dbench.pg.jfr=true or -Dbench.pg.asprof=LIB: a profile per lane, to see where its CPU goes
        String file = "pg-" + lane.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        List<String> jvmOptions = new ArrayList<>(extraJvmOptions());
        jvmOptions.addAll(Boolean.getBoolean("bench.pg.jfr")
            ? List.of("-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=1ms,dumponexit=true,filename="
                + env.logs().resolve(file + ".jfr"))
            : System.getProperty("bench.pg.asprof", "").isEmpty() ? List.of()
            : List.of("-agentpath:" + System.getProperty("bench.pg.asprof")
                + "=start,event=cpu,interval=1ms,threads,file=" + env.logs().resolve(file + ".collapsed")));
        Launch.Live jvm = Launch.live(env, lane.variant(), jvmOptions, PgLoadApp.class,
            SharedPostgres.jdbcUrl(), SharedPostgres.USER, String.valueOf(THREADS));
        jvms.add(jvm);
        jvm.await("READY");
      }
      List<Slices> slices = new ArrayList<>();
      for (int lane = 0; lane < lanes.size(); lane++) {
        slices.add(new Slices(cycles));
      }
      warmUp(jvms, warmupCycles, rampMillis, sliceMillis);
      measure(jvms, lanes, slices, 0, half, rampMillis, sliceMillis);
      attach(env, lanes, jvms);
      warmUp(jvms, warmupCycles, rampMillis, sliceMillis);
      measure(jvms, lanes, slices, half, cycles, rampMillis, sliceMillis);
      report(table, lanes, slices, half, sliceMillis);
    } finally {
      for (Launch.Live jvm : jvms) {
        jvm.close();
      }
    }
  }

  private static void latencyRow(Table table, String which, Map<Column, Double> micros) {
    table.add("PostgreSQL: " + which + " latency µs (median of slices)", micros, v -> Table.fixed(v, 0),
        d -> Table.signed(d, 0), "≤ OTel",
        Table.verdict(micros.get(Column.POOLSCOPE) <= micros.get(Column.OTEL)));
  }

  /**
   * Shown, not judged: with threads that never pause, the median shows the shape of the latencies,
   * not an agent's cost. The OpenTelemetry agent's fell below no agent's own in most runs since
   * session 9 while its mean and p99 rose. The mean (the threads over the throughput) and p99 are judged.
   */
  private static void medianRow(Table table, Map<Column, Double> micros) {
    table.add("PostgreSQL: p50 latency µs (median of slices; shown, not judged: see BENCHMARKS.md)",
        micros, v -> Table.fixed(v, 0), d -> Table.signed(d, 0), "—", "—");
  }

  /** {@code -Dbench.pg.jvm="-Xms1g -Xmx1g"}: options for every lane's JVM (heap sizing, say). */
  private static List<String> extraJvmOptions() {
    String options = System.getProperty("bench.pg.jvm", "").trim();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }

  private static void warmUp(List<Launch.Live> jvms, int cycles, long rampMillis, long sliceMillis)
      throws IOException {
    for (int cycle = 0; cycle < cycles; cycle++) {
      cycle(jvms, -1 - cycle, rampMillis, sliceMillis);
    }
  }

  /** Measured cycles {@code from} to {@code to} (exclusive), into each lane's slices. */
  private static void measure(
      List<Launch.Live> jvms, List<Lane> lanes, List<Slices> slices, int from, int to, long rampMillis,
      long sliceMillis) throws IOException {
    for (int cycle = from; cycle < to; cycle++) {
      Launch.Result[] results = cycle(jvms, cycle, rampMillis, sliceMillis);
      StringBuilder line = new StringBuilder("postgres cycle " + (cycle + 1) + ":");
      for (int lane = 0; lane < lanes.size(); lane++) {
        Slices own = slices.get(lane);
        own.put(cycle, results[lane]);
        line.append(' ').append(lanes.get(lane).label()).append(' ')
            .append(Table.fixed(own.rate[cycle], 0)).append("/s cpu ")
            .append(Table.fixed(own.cpu[cycle], 2)).append(" µs machine ")
            .append(Table.fixed(own.machineCpu[cycle], 2)).append(" µs");
      }
      BenchSuite.log(line.toString());
    }
  }

  /** Loads poolscope, with the default variant's options, into the lanes that get it halfway. */
  private static void attach(BenchEnv env, List<Lane> lanes, List<Launch.Live> jvms) {
    for (int lane = 0; lane < lanes.size(); lane++) {
      if (lanes.get(lane).attachedHalfway()) {
        AgentCli.Result attach = AgentCli.run(
            "attach", String.valueOf(jvms.get(lane).pid()), Variant.POOLSCOPE.attachOptions(env));
        if (attach.exitCode() != 0) {
          throw new IllegalStateException("attach failed: " + attach);
        }
        BenchSuite.log("postgres: " + attach.stdout().trim());
      }
    }
  }

  /**
   * One slice of every JVM, in an order shuffled by {@code cycle}; the results indexed by lane.
   * Shuffled, not turned: turning keeps every lane behind the same one, so whatever a lane leaves
   * behind (exports still being sent, a server still busy) would always fall on the same next lane.
   */
  private static Launch.Result[] cycle(List<Launch.Live> jvms, int cycle, long rampMillis, long sliceMillis)
      throws IOException {
    List<Integer> order = new ArrayList<>();
    for (int lane = 0; lane < jvms.size(); lane++) {
      order.add(lane);
    }
    Collections.shuffle(order, new Random(cycle));
    Launch.Result[] slices = new Launch.Result[jvms.size()];
    for (int lane : order) {
      slices[lane] = jvms.get(lane).request("slice " + rampMillis + " " + sliceMillis, "SLICE");
    }
    return slices;
  }

  private static void report(Table table, List<Lane> lanes, List<Slices> slices, int half, long sliceMillis) {
    Slices base = slices.get(0);
    int cycles = base.rate.length;
    double machineCpu = Stats.median(list(base.machineCpu));
    Map<Column, String> throughput = new EnumMap<>(Column.class);
    Map<Column, Double> meanUs = new EnumMap<>(Column.class);
    Map<Column, Double> p50us = new EnumMap<>(Column.class);
    Map<Column, Double> p99us = new EnumMap<>(Column.class);
    Map<Column, Double> cpuUs = new EnumMap<>(Column.class);
    Map<Column, Double> share = new EnumMap<>(Column.class);
    double[] attached = null;
    for (int lane = 0; lane < lanes.size(); lane++) {
      Lane which = lanes.get(lane);
      Slices own = slices.get(lane);
      if (which.attachedHalfway()) {
        attached = halves(table, which.label(), own, base, half, machineCpu);
        continue;
      }
      List<Double> shares = paired(own.rate, base.rate, 0, cycles, RATIO);
      if (lane > 0) {
        double[] interval = Stats.medianInterval(shares);
        List<Double> extraCpu = paired(own.cpu, base.cpu, 0, cycles, DIFFERENCE);
        table.note("PostgreSQL, " + which.label() + (which.column() == null ? " (diagnostic)" : "") + ": "
            + Table.fixed(Stats.median(list(own.rate)), 0) + " cycles/s, "
            + Table.fixed(100 * Stats.median(shares), 1) + " % of no agent (95 % confidence "
            + Table.fixed(100 * interval[0], 1) + "–" + Table.fixed(100 * interval[1], 1)
            + " %; cycles' quartiles " + Table.fixed(100 * Stats.quantile(shares, 0.25), 1) + "–"
            + Table.fixed(100 * Stats.quantile(shares, 0.75), 1) + " %), p50 "
            + Table.fixed(Stats.median(list(own.p50)), 0) + " µs, p99 "
            + Table.fixed(Stats.median(list(own.p99)), 0) + " µs; its JVM's CPU per cycle against no"
            + " agent's (paired; 95 % confidence in brackets) " + withInterval(extraCpu) + ", "
            + Table.signed(100 * Stats.median(extraCpu) / machineCpu, 2)
            + " % of the machine's CPU per cycle; of it, on the load threads "
            + withInterval(paired(own.loadCpu, base.loadCpu, 0, cycles, DIFFERENCE))
            + ", on its other threads (JIT, GC, an agent's own) "
            + withInterval(paired(own.otherCpu, base.otherCpu, 0, cycles, DIFFERENCE)) + ".");
      }
      if (which.column() == null) {
        halves(table, which.label() + ", nothing attached (control)", own, base, half, machineCpu);
        continue;
      }
      double ratio = Stats.median(shares);
      String figure = Table.fixed(Stats.median(list(own.rate)), 0);
      share.put(which.column(), ratio);
      throughput.put(which.column(), lane == 0 ? figure : figure + " (" + Table.fixed(100 * ratio, 1) + " %)");
      meanUs.put(which.column(), Stats.median(list(own.mean)));
      p50us.put(which.column(), Stats.median(list(own.p50)));
      p99us.put(which.column(), Stats.median(list(own.p99)));
      cpuUs.put(which.column(), Stats.median(list(own.cpu)));
    }
    table.addText("PostgreSQL, " + THREADS + " threads, checkout + SELECT 1 + close: cycles/s, median of "
            + cycles + " slices × " + sliceMillis / 1000 + " s (% of no agent: median of paired slices)",
        throughput, "≥ OTel (99 %: next row)",
        Table.verdict(share.get(Column.POOLSCOPE) >= share.get(Column.OTEL)));
    table.addText("PostgreSQL: one no-agent JVM's % of no agent after poolscope is attached to it, over"
            + " before (" + half + " + " + (cycles - half) + " cycles; cancels each JVM's own effect)",
        Map.of(Column.POOLSCOPE, Table.fixed(100 * attached[0], 1) + " % (95 % confidence "
            + Table.fixed(100 * attached[1], 1) + "–" + Table.fixed(100 * attached[2], 1) + " %)"),
        "≥ 99 % of no agent", Table.verdict(attached[0] >= 0.99));
    medianRow(table, p50us);
    latencyRow(table, "p99", p99us);
    // the threads never pause, so the mean is the threads over the throughput (Little's law)
    latencyRow(table, "mean", meanUs);
    table.add("PostgreSQL: the JVM's CPU per cycle µs, all its threads (median of slices; the whole"
            + " machine's, PostgreSQL's included: " + Table.fixed(machineCpu, 1) + " µs with no agent)",
        cpuUs, v -> Table.fixed(v, 2), d -> Table.signed(d, 2), "≤ OTel",
        Table.verdict(cpuUs.get(Column.POOLSCOPE) <= cpuUs.get(Column.OTEL)));
  }

  /**
   * A lane against no agent in the second half of the cycles, over (throughput) and less (CPU per
   * cycle) the same in the first, noted under the table; the throughput's {estimate, lower, upper}.
   */
  private static double[] halves(
      Table table, String label, Slices lane, Slices base, int half, double machineCpu) {
    int cycles = base.rate.length;
    List<Double> before = paired(lane.rate, base.rate, 0, half, RATIO);
    List<Double> after = paired(lane.rate, base.rate, half, cycles, RATIO);
    double[] quotient = Stats.medianChange(before, after, RATIO);
    double[] extraCpu = Stats.medianChange(paired(lane.cpu, base.cpu, 0, half, DIFFERENCE),
        paired(lane.cpu, base.cpu, half, cycles, DIFFERENCE), DIFFERENCE);
    table.note("PostgreSQL, " + label + ": " + Table.fixed(100 * Stats.median(before), 1)
        + " % of no agent in the first " + before.size() + " cycles, " + Table.fixed(100 * Stats.median(after), 1)
        + " % in the last " + after.size() + ": after over before " + Table.fixed(100 * quotient[0], 1)
        + " % (95 % bootstrap interval " + Table.fixed(100 * quotient[1], 1) + "–"
        + Table.fixed(100 * quotient[2], 1) + " %); its CPU per cycle against no agent's, after less before, "
        + Table.signed(extraCpu[0], 2) + " µs (" + Table.signed(extraCpu[1], 2) + " to "
        + Table.signed(extraCpu[2], 2) + " µs), " + Table.signed(100 * extraCpu[0] / machineCpu, 2)
        + " % of the machine's CPU per cycle.");
    return quotient;
  }

  /** The median of extra CPU per cycle, µs, with its 95 % interval in brackets. */
  private static String withInterval(List<Double> extra) {
    double[] interval = Stats.medianInterval(extra);
    return Table.signed(Stats.median(extra), 2) + " µs (" + Table.signed(interval[0], 2) + " to "
        + Table.signed(interval[1], 2) + " µs)";
  }

  /** Slice by slice, {@code change(lane, base)} of the same cycle, for cycles {@code from} to {@code to}. */
  private static List<Double> paired(
      double[] lane, double[] base, int from, int to, DoubleBinaryOperator change) {
    List<Double> changes = new ArrayList<>();
    for (int cycle = from; cycle < to; cycle++) {
      changes.add(change.applyAsDouble(lane[cycle], base[cycle]));
    }
    return changes;
  }

  private static List<Double> list(double[] values) {
    List<Double> list = new ArrayList<>();
    for (double value : values) {
      list.add(value);
    }
    return list;
  }
}
