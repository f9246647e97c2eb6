package io.poolscope.tests.bench;

import io.poolscope.tests.bench.Table.Column;
import io.poolscope.tests.support.SharedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Real round trips: {@link PgLoadApp} with 8 threads against one embedded PostgreSQL. One child JVM
 * per variant, all up at once and warmed, take turns in short slices, each cycle in a shuffled order.
 * A variant's figure is its median slice; its share of no agent is the median, over cycles, of its
 * slice divided by no agent's slice of the same cycle: slices seconds apart see the same machine, where
 * whole runs a minute apart varied by ±20 % on this shared machine and hid a 1 % difference.
 */
final class PgSection {

  static final int THREADS = 8;

  /** One JVM taking turns: a variant, and the table column it fills (none for diagnostics). */
  private record Lane(String label, Variant variant, Column column) {}

  private PgSection() {}

  static void run(BenchEnv env, Table table, boolean diagnostics) throws Exception {
    List<Lane> lanes = new ArrayList<>();
    lanes.add(new Lane("no agent", Variant.NONE, Column.NONE));
    lanes.add(new Lane("poolscope", Variant.POOLSCOPE, Column.POOLSCOPE));
    lanes.add(new Lane(Variant.POOLSCOPE_ALL.label, Variant.POOLSCOPE_ALL, Column.VARIANT));
    lanes.add(new Lane("OpenTelemetry agent", Variant.OTEL, Column.OTEL));
    if (diagnostics) {
      // a second JVM without agent: how far apart two identical lanes come out, the method's resolution
      lanes.add(new Lane("no agent, second JVM", Variant.NONE, null));
      lanes.add(new Lane(Variant.POOLSCOPE_NO_SITES.label, Variant.POOLSCOPE_NO_SITES, null));
    }
    int asked = Integer.getInteger("bench.pg.cycles", 0);
    int cycles = asked > 0 ? asked : env.quick() ? 4 : 36;
    // unmeasured cycles first: every lane's JIT and connections warm, in the same alternation
    int warmupCycles = env.quick() ? 2 : 4;
    long rampMillis = 250;
    long sliceMillis = 2000;

    List<Launch.Live> jvms = new ArrayList<>();
    try {
      for (Lane lane : lanes) {
        Launch.Live jvm = Launch.live(env, lane.variant(), List.of(), PgLoadApp.class,
            SharedPostgres.jdbcUrl(), SharedPostgres.USER, String.valueOf(THREADS));
        jvms.add(jvm);
        jvm.await("READY");
      }
      for (int cycle = 0; cycle < warmupCycles; cycle++) {
        cycle(jvms, cycle, rampMillis, sliceMillis);
      }
      // [lane][cycle]
      double[][] rates = new double[lanes.size()][cycles];
      double[][] p50 = new double[lanes.size()][cycles];
      double[][] p99 = new double[lanes.size()][cycles];
      for (int cycle = 0; cycle < cycles; cycle++) {
        Launch.Result[] slices = cycle(jvms, cycle, rampMillis, sliceMillis);
        StringBuilder line = new StringBuilder("postgres cycle " + (cycle + 1) + ":");
        for (int lane = 0; lane < lanes.size(); lane++) {
          rates[lane][cycle] = slices[lane].number("SLICE", "ops") / slices[lane].number("SLICE", "seconds");
          p50[lane][cycle] = slices[lane].number("SLICE", "p50us");
          p99[lane][cycle] = slices[lane].number("SLICE", "p99us");
          line.append(' ').append(lanes.get(lane).label()).append(' ').append(Table.fixed(rates[lane][cycle], 0));
        }
        BenchSuite.log(line.toString());
      }
      report(table, lanes, rates, p50, p99, sliceMillis);
    } finally {
      for (Launch.Live jvm : jvms) {
        jvm.close();
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

  private static void report(
      Table table, List<Lane> lanes, double[][] rates, double[][] p50, double[][] p99, long sliceMillis) {
    int cycles = rates[0].length;
    Map<Column, String> throughput = new EnumMap<>(Column.class);
    Map<Column, Double> p50us = new EnumMap<>(Column.class);
    Map<Column, Double> p99us = new EnumMap<>(Column.class);
    Map<Column, Double> share = new EnumMap<>(Column.class);
    for (int lane = 0; lane < lanes.size(); lane++) {
      List<Double> shares = ratios(rates[lane], rates[0]);
      double ratio = Stats.median(shares);
      String figure = Table.fixed(Stats.median(list(rates[lane])), 0);
      Column column = lanes.get(lane).column();
      if (lane > 0) {
        double[] interval = Stats.medianInterval(shares);
        table.note("PostgreSQL, " + lanes.get(lane).label() + (column == null ? " (diagnostic)" : "") + ": "
            + figure + " cycles/s, " + Table.fixed(100 * ratio, 1) + " % of no agent (95 % confidence "
            + Table.fixed(100 * interval[0], 1) + "–" + Table.fixed(100 * interval[1], 1)
            + " %; cycles' quartiles " + Table.fixed(100 * Stats.quantile(shares, 0.25), 1) + "–"
            + Table.fixed(100 * Stats.quantile(shares, 0.75), 1) + " %), p50 "
            + Table.fixed(Stats.median(list(p50[lane])), 0) + " µs, p99 "
            + Table.fixed(Stats.median(list(p99[lane])), 0) + " µs.");
      }
      if (column == null) {
        continue;
      }
      share.put(column, ratio);
      throughput.put(column, lane == 0 ? figure : figure + " (" + Table.fixed(100 * ratio, 1) + " %)");
      p50us.put(column, Stats.median(list(p50[lane])));
      p99us.put(column, Stats.median(list(p99[lane])));
    }
    table.addText("PostgreSQL, " + THREADS + " threads, checkout + SELECT 1 + close: cycles/s, median of "
            + cycles + " slices × " + sliceMillis / 1000 + " s (% of no agent: median of paired slices)",
        throughput, "≥ 99 % of no agent, ≥ OTel",
        Table.verdict(share.get(Column.POOLSCOPE) >= 0.99, share.get(Column.POOLSCOPE) >= share.get(Column.OTEL)));
    table.add("PostgreSQL: p50 latency µs (median of slices)", p50us, v -> Table.fixed(v, 0),
        d -> Table.signed(d, 0), "≤ OTel",
        Table.verdict(p50us.get(Column.POOLSCOPE) <= p50us.get(Column.OTEL)));
    table.add("PostgreSQL: p99 latency µs (median of slices)", p99us, v -> Table.fixed(v, 0),
        d -> Table.signed(d, 0), "≤ OTel",
        Table.verdict(p99us.get(Column.POOLSCOPE) <= p99us.get(Column.OTEL)));
  }

  /** Slice by slice, {@code lane / base} of the same cycle. */
  private static List<Double> ratios(double[] lane, double[] base) {
    List<Double> ratios = new ArrayList<>();
    for (int cycle = 0; cycle < lane.length; cycle++) {
      ratios.add(lane[cycle] / base[cycle]);
    }
    return ratios;
  }

  private static List<Double> list(double[] values) {
    List<Double> list = new ArrayList<>();
    for (double value : values) {
      list.add(value);
    }
    return list;
  }
}
