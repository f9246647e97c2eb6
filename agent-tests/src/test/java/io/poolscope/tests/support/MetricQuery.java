package io.poolscope.tests.support;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An immutable view of received data points, narrowed step by step, e.g.
 * {@code query.poolscope().metric(USE_TIME).where(POOL_NAME, "orders").latestCount()}.
 *
 * <p>All poolscope metrics are cumulative, so the total of a series is its latest point; the
 * {@code latest*} methods take the latest point of each series and add them up, which is what a
 * user does when a pool's histogram is split by {@code error.type}.
 */
public final class MetricQuery {

  public static final String POOLSCOPE_SCOPE = "io.poolscope.agent";

  private final List<DataPoint> points;

  MetricQuery(List<DataPoint> points) {
    this.points = List.copyOf(points);
  }

  /** One export, flattened on its own: for readers that go through exports incrementally. */
  static MetricQuery ofExport(int index, ExportMetricsServiceRequest export) {
    List<DataPoint> points = new ArrayList<>();
    flatten(index, export, points);
    return new MetricQuery(points);
  }

  static MetricQuery of(List<ExportMetricsServiceRequest> exports) {
    List<DataPoint> points = new ArrayList<>();
    for (int i = 0; i < exports.size(); i++) {
      flatten(i, exports.get(i), points);
    }
    return new MetricQuery(points);
  }

  // ---- narrowing

  /** Only what the agent itself reports, not an app's own OpenTelemetry. */
  public MetricQuery poolscope() {
    return scope(POOLSCOPE_SCOPE);
  }

  public MetricQuery scope(String scopeName) {
    return filter(p -> p.scope().equals(scopeName));
  }

  public MetricQuery metric(String name) {
    return filter(p -> p.metric().equals(name));
  }

  public MetricQuery where(String attribute, String value) {
    return filter(p -> value.equals(p.attribute(attribute)));
  }

  public MetricQuery where(Map<String, String> attributes) {
    return filter(p -> p.attributes().entrySet().containsAll(attributes.entrySet()));
  }

  public MetricQuery withResource(String attribute, String value) {
    return filter(p -> value.equals(p.resource().get(attribute)));
  }

  public MetricQuery filter(Predicate<DataPoint> predicate) {
    return new MetricQuery(points.stream().filter(predicate).toList());
  }

  /** What one process sent: its resource's {@code process.pid}. */
  public MetricQuery ofProcess(long pid) {
    return withResource("process.pid", Long.toString(pid));
  }

  /** Sum or gauge: all values added up, e.g. one export's series of a metric. */
  public double sumValues() {
    return points.stream().mapToDouble(DataPoint::value).sum();
  }

  // ---- reading

  public List<DataPoint> points() {
    return points;
  }

  public boolean isEmpty() {
    return points.isEmpty();
  }

  /** Whether any export ever carried such a point, e.g. pending requests above zero mid-run. */
  public boolean any(Predicate<DataPoint> predicate) {
    return points.stream().anyMatch(predicate);
  }

  /** The latest point of every series, in first-seen order. */
  public List<DataPoint> latest() {
    Map<DataPoint.SeriesKey, DataPoint> latest = new LinkedHashMap<>();
    for (DataPoint point : points) {
      latest.merge(point.seriesKey(), point, MetricQuery::later);
    }
    return List.copyOf(latest.values());
  }

  /** Sum or gauge: the latest values of all matching series added up. */
  public double latestValue() {
    return latest().stream().mapToDouble(DataPoint::value).sum();
  }

  /** Histogram: the latest counts of all matching series added up. */
  public long latestCount() {
    return latest().stream().mapToLong(DataPoint::count).sum();
  }

  /** Histogram: the latest sums of all matching series added up (in the metric's unit). */
  public double latestSum() {
    return latest().stream().mapToDouble(DataPoint::sum).sum();
  }

  public double maxValue() {
    return points.stream().mapToDouble(DataPoint::value).max().orElse(Double.NaN);
  }

  public Set<String> metricNames() {
    return points.stream().map(DataPoint::metric).collect(Collectors.toCollection(TreeSet::new));
  }

  public Set<String> units() {
    return points.stream().map(DataPoint::unit).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every value the attribute took, e.g. all pool names; points without it are skipped. */
  public Set<String> attributeValues(String attribute) {
    return points.stream()
        .map(p -> p.attribute(attribute))
        .filter(v -> v != null)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every distinct resource seen, as its attributes. */
  public List<Map<String, String>> resources() {
    return List.copyOf(
        points.stream().map(DataPoint::resource).collect(Collectors.toCollection(LinkedHashSet::new)));
  }

  /** Latest point of each series, one per line: what a failure message should show. */
  public String describe() {
    if (points.isEmpty()) {
      return "(no data points)";
    }
    return latest().stream().map(DataPoint::toString).collect(Collectors.joining("\n"));
  }

  @Override
  public String toString() {
    return describe();
  }

  // ---- decoding

  private static DataPoint later(DataPoint a, DataPoint b) {
    if (b.exportIndex() != a.exportIndex()) {
      return b.exportIndex() > a.exportIndex() ? b : a;
    }
    return b.timeUnixNano() >= a.timeUnixNano() ? b : a;
  }

  private static void flatten(int index, ExportMetricsServiceRequest export, List<DataPoint> out) {
    for (ResourceMetrics resourceMetrics : export.getResourceMetricsList()) {
      Map<String, String> resource = attributes(resourceMetrics.getResource().getAttributesList());
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        String scope = scopeMetrics.getScope().getName();
        for (Metric metric : scopeMetrics.getMetricsList()) {
          flattenMetric(index, resource, scope, metric, out);
        }
      }
    }
  }

  private static void flattenMetric(
      int index, Map<String, String> resource, String scope, Metric metric, List<DataPoint> out) {
    switch (metric.getDataCase()) {
      case SUM -> {
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          out.add(number(index, resource, scope, metric, DataPoint.Kind.SUM,
              metric.getSum().getIsMonotonic(),
              temporality(metric.getSum().getAggregationTemporality()), p));
        }
      }
      case GAUGE -> {
        for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
          out.add(number(index, resource, scope, metric, DataPoint.Kind.GAUGE, false,
              DataPoint.Temporality.UNSPECIFIED, p));
        }
      }
      case HISTOGRAM -> {
        DataPoint.Temporality temporality =
            temporality(metric.getHistogram().getAggregationTemporality());
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
          out.add(new DataPoint(index, resource, scope, metric.getName(), metric.getUnit(),
              DataPoint.Kind.HISTOGRAM, false, temporality, attributes(p.getAttributesList()),
              Double.NaN, p.getCount(), p.getSum(), p.getTimeUnixNano()));
        }
      }
      default -> out.add(new DataPoint(index, resource, scope, metric.getName(), metric.getUnit(),
          DataPoint.Kind.OTHER, false, DataPoint.Temporality.UNSPECIFIED, Map.of(), Double.NaN, 0,
          Double.NaN, 0));
    }
  }

  private static DataPoint number(int index, Map<String, String> resource, String scope,
      Metric metric, DataPoint.Kind kind, boolean monotonic, DataPoint.Temporality temporality,
      NumberDataPoint p) {
    double value = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    return new DataPoint(index, resource, scope, metric.getName(), metric.getUnit(), kind,
        monotonic, temporality, attributes(p.getAttributesList()), value, 0, Double.NaN,
        p.getTimeUnixNano());
  }

  private static DataPoint.Temporality temporality(AggregationTemporality temporality) {
    return switch (temporality) {
      case AGGREGATION_TEMPORALITY_CUMULATIVE -> DataPoint.Temporality.CUMULATIVE;
      case AGGREGATION_TEMPORALITY_DELTA -> DataPoint.Temporality.DELTA;
      default -> DataPoint.Temporality.UNSPECIFIED;
    };
  }

  /** Attribute values as strings: tests compare against what a user would type in a query. */
  static Map<String, String> attributes(List<KeyValue> keyValues) {
    Map<String, String> map = new TreeMap<>();
    for (KeyValue kv : keyValues) {
      map.put(kv.getKey(), text(kv.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> value.toString().trim();
    };
  }
}
