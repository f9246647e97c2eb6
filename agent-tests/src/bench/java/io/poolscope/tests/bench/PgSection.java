package io.poolscope.tests.bench;

import io.poolscope.tests.bench.Table.Column;
import io.poolscope.tests.support.SharedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real round trips: {@link PgLoadApp} with 8 threads against one embedded PostgreSQL, one child JVM per
 * variant and round, rounds interleaved. Each figure is the median over the rounds, so one round
 * disturbed by other load on the shared machine does not decide it.
 */
final class PgSection {

  static final int THREADS = 8;

  private PgSection() {}

  static void run(BenchEnv env, Table table, boolean diagnostics) {
    Map<Variant, Column> columns = new LinkedHashMap<>();
    columns.put(Variant.NONE, Column.NONE);
    columns.put(Variant.POOLSCOPE, Column.POOLSCOPE);
    columns.put(Variant.POOLSCOPE_ALL, Column.VARIANT);
    columns.put(Variant.OTEL, Column.OTEL);
    if (diagnostics) {
      columns.put(Variant.POOLSCOPE_NO_SITES, null);
    }
    // rounds (-Dbench.pg.rounds; 0: the default) narrow the median: on this machine one round of the
    // same variant ranges over ±15 %, so 3 rounds could not tell 99 % from 90 %
    int asked = Integer.getInteger("bench.pg.rounds", 0);
    int rounds = asked > 0 ? asked : env.quick() ? 2 : 8;
    int warmup = env.quick() ? 3 : 4;
    int measured = env.quick() ? 5 : 8;

    Map<Variant, List<Double>> rates = new EnumMap<>(Variant.class);
    Map<Variant, List<Double>> p99 = new EnumMap<>(Variant.class);
    Map<Variant, List<Double>> p50 = new EnumMap<>(Variant.class);
    for (int round = 1; round <= rounds; round++) {
      for (Variant variant : Stats.turn(columns.keySet(), round)) {
        Launch.Result result = Launch.java(env, variant, List.of(), PgLoadApp.class,
            Duration.ofSeconds(warmup + measured + 90), SharedPostgres.jdbcUrl(), SharedPostgres.USER,
            String.valueOf(THREADS), String.valueOf(warmup), String.valueOf(measured));
        rates.computeIfAbsent(variant, v -> new ArrayList<>())
            .add(result.number("RESULT", "ops") / result.number("RESULT", "seconds"));
        p99.computeIfAbsent(variant, v -> new ArrayList<>()).add(result.number("RESULT", "p99us"));
        p50.computeIfAbsent(variant, v -> new ArrayList<>()).add(result.number("RESULT", "p50us"));
        BenchSuite.log("postgres " + variant + " round " + round + ": "
            + Table.fixed(result.number("RESULT", "ops") / result.number("RESULT", "seconds"), 0)
            + " ops/s, p99 " + result.value("RESULT", "p99us") + " µs");
      }
    }
    Map<Column, Double> throughput = new EnumMap<>(Column.class);
    Map<Column, Double> p99us = new EnumMap<>(Column.class);
    Map<Column, Double> p50us = new EnumMap<>(Column.class);
    columns.forEach((variant, column) -> {
      if (column != null) {
        throughput.put(column, Stats.median(rates.get(variant)));
        p99us.put(column, Stats.median(p99.get(variant)));
        p50us.put(column, Stats.median(p50.get(variant)));
      }
    });
    double base = throughput.get(Column.NONE);
    if (diagnostics) {
      double noSites = Stats.median(rates.get(Variant.POOLSCOPE_NO_SITES));
      table.note("Diagnostic, PostgreSQL, " + Variant.POOLSCOPE_NO_SITES.label + ": "
          + Table.fixed(noSites, 0) + " cycles/s ("
          + Table.fixed(100 * noSites / base, 1) + " % of no agent), p99 "
          + Table.fixed(Stats.median(p99.get(Variant.POOLSCOPE_NO_SITES)), 0) + " µs.");
    }
    String what = "PostgreSQL, " + THREADS + " threads, checkout + SELECT 1 + close, "
        + "median of " + rounds + " × " + measured + " s";
    table.add(what + ": cycles/s", throughput, v -> Table.fixed(v, 0),
        d -> Table.fixed(100 * (base + d) / base, 1) + " %", "≥ 99 % of no agent, ≥ OTel",
        Table.verdict(throughput.get(Column.POOLSCOPE) >= 0.99 * base,
            throughput.get(Column.POOLSCOPE) >= throughput.get(Column.OTEL)));
    table.add("PostgreSQL: p50 latency µs (median of rounds)", p50us, v -> Table.fixed(v, 0),
        d -> Table.signed(d, 0), "≤ OTel",
        Table.verdict(p50us.get(Column.POOLSCOPE) <= p50us.get(Column.OTEL)));
    table.add("PostgreSQL: p99 latency µs (median of rounds)", p99us, v -> Table.fixed(v, 0),
        d -> Table.signed(d, 0), "≤ OTel",
        Table.verdict(p99us.get(Column.POOLSCOPE) <= p99us.get(Column.OTEL)));
  }
}
