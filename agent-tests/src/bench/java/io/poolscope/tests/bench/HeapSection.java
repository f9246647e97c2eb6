package io.poolscope.tests.bench;

import io.poolscope.tests.bench.Table.Column;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the agent keeps: heap after 1M checkouts and full collections, and the jar a user ships. */
final class HeapSection {

  static final int CHECKOUTS = 1_000_000;
  private static final double MIB = 1024 * 1024;
  private static final double MB = 1_000_000;

  private HeapSection() {}

  static void run(BenchEnv env, Table table) {
    Map<Column, Double> heap = new EnumMap<>(Column.class);
    Map<Column, Double> nonHeap = new EnumMap<>(Column.class);
    Map<Variant, Column> columns = Map.of(
        Variant.NONE, Column.NONE, Variant.POOLSCOPE, Column.POOLSCOPE,
        Variant.POOLSCOPE_ALL, Column.VARIANT, Variant.OTEL, Column.OTEL);
    for (Variant variant : List.of(Variant.NONE, Variant.POOLSCOPE, Variant.POOLSCOPE_ALL, Variant.OTEL)) {
      Launch.Result result = Launch.java(env, variant, List.of(), HeapApp.class,
          Duration.ofMinutes(2), String.valueOf(CHECKOUTS));
      heap.put(columns.get(variant), result.number("HEAP", "used") / MIB);
      nonHeap.put(columns.get(variant), result.number("HEAP", "nonHeap") / MIB);
      BenchSuite.log("heap " + variant + ": " + result.value("HEAP", "used") + " B heap, "
          + result.value("HEAP", "nonHeap") + " B non-heap");
    }
    table.add("heap used after 1M pooled checkouts + full GC: MiB", heap,
        v -> Table.fixed(v, 1), d -> Table.signed(d, 1), "≤ OTel",
        Table.verdict(heap.get(Column.POOLSCOPE) <= heap.get(Column.OTEL)));
    table.add("non-heap used (metaspace, code cache) at that point: MiB", nonHeap,
        v -> Table.fixed(v, 1), d -> Table.signed(d, 1), "≤ OTel",
        Table.verdict(nonHeap.get(Column.POOLSCOPE) <= nonHeap.get(Column.OTEL)));
  }

  static void jars(BenchEnv env, Table table) {
    double poolscope = size(env.poolscopeJar()) / MB;
    double otel = size(env.otelJar()) / MB;
    Map<Column, String> cells = new EnumMap<>(Column.class);
    cells.put(Column.POOLSCOPE, Table.fixed(poolscope, 2));
    cells.put(Column.OTEL, Table.fixed(otel, 2));
    table.addText("agent jar: MB (10^6 bytes)", cells, "≤ 6 MB, ≤ OTel",
        Table.verdict(poolscope <= 6, poolscope <= otel));
  }

  private static long size(Path jar) {
    try {
      return Files.size(jar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
