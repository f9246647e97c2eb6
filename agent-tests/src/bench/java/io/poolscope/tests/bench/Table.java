package io.poolscope.tests.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * The one result table: a row per measure, the four variants side by side, each agent's cell with its
 * difference from no agent, and the budget poolscope is held to.
 */
final class Table {

  /** The columns; the third holds the poolscope variant that row's section measures besides default. */
  enum Column {
    NONE,
    POOLSCOPE,
    VARIANT,
    OTEL
  }

  private record Row(String measure, Map<Column, String> cells, String budget, String verdict) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** A row whose cells are plain numbers, agents' cells followed by their difference from no agent. */
  void add(
      String measure, Map<Column, Double> values, DoubleFunction<String> format,
      DoubleFunction<String> formatDelta, String budget, String verdict) {
    Map<Column, String> cells = new EnumMap<>(Column.class);
    Double base = values.get(Column.NONE);
    values.forEach((column, value) -> {
      String cell = format.apply(value);
      if (column != Column.NONE && base != null && formatDelta != null) {
        cell += " (" + formatDelta.apply(value - base) + ")";
      }
      cells.put(column, cell);
    });
    rows.add(new Row(measure, cells, budget, verdict));
  }

  void addText(String measure, Map<Column, String> cells, String budget, String verdict) {
    rows.add(new Row(measure, new EnumMap<>(cells), budget, verdict));
  }

  void note(String note) {
    notes.add(note);
  }

  String markdown(String variantHeader) {
    StringBuilder out = new StringBuilder();
    out.append("| measure | no agent | poolscope | ").append(variantHeader)
        .append(" | OpenTelemetry agent 2.21.0 | budget for poolscope | met |\n");
    out.append("|---|---:|---:|---:|---:|---|---|\n");
    for (Row row : rows) {
      out.append("| ").append(row.measure());
      for (Column column : Column.values()) {
        out.append(" | ").append(row.cells().getOrDefault(column, "—"));
      }
      out.append(" | ").append(row.budget()).append(" | ").append(row.verdict()).append(" |\n");
    }
    for (String note : notes) {
      out.append("\n").append(note).append("\n");
    }
    return out.toString();
  }

  // ---- formatting

  static String fixed(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  static String signed(double value, int decimals) {
    return String.format(Locale.ROOT, "%+." + decimals + "f", value);
  }

  /** "yes" when every check holds. */
  static String verdict(boolean... checks) {
    for (boolean check : checks) {
      if (!check) {
        return "**NO**";
      }
    }
    return "yes";
  }
}
