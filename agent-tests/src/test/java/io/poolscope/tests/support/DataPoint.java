package io.poolscope.tests.support;

import java.util.Map;

/**
 * One data point of one export, flattened with everything a test filters on: its resource, scope,
 * metric and attributes. Sums and gauges fill {@code value}; histograms fill {@code count} and
 * {@code sum}.
 *
 * @param exportIndex arrival order of the export that carried it, 0 first
 */
public record DataPoint(
    int exportIndex,
    Map<String, String> resource,
    String scope,
    String metric,
    String unit,
    Kind kind,
    boolean monotonic,
    Temporality temporality,
    Map<String, String> attributes,
    double value,
    long count,
    double sum,
    long timeUnixNano) {

  public enum Kind {
    SUM,
    GAUGE,
    HISTOGRAM,
    OTHER
  }

  public enum Temporality {
    CUMULATIVE,
    DELTA,
    UNSPECIFIED
  }

  public String attribute(String key) {
    return attributes.get(key);
  }

  /** Same resource, scope, metric and attributes: later points of a cumulative series replace it. */
  SeriesKey seriesKey() {
    return new SeriesKey(resource, scope, metric, attributes);
  }

  record SeriesKey(
      Map<String, String> resource, String scope, String metric, Map<String, String> attributes) {}

  @Override
  public String toString() {
    String reading = kind == Kind.HISTOGRAM ? "count=" + count + " sum=" + sum : "value=" + value;
    return metric + attributes + " " + reading + " [" + unit + ", " + kind
        + (kind == Kind.SUM ? (monotonic ? " monotonic" : " non-monotonic") : "") + ", "
        + temporality + ", export #" + exportIndex + ", scope " + scope + "]";
  }
}
