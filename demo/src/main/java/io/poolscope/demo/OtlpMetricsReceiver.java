package io.poolscope.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP (protobuf) metrics receiver on 127.0.0.1. It keeps only the last export of
 * each process: the agent's metrics are cumulative, so the last one says everything.
 */
final class OtlpMetricsReceiver implements AutoCloseable {

  static final String POOL = "db.client.connection.pool.name";

  /** What one pool of one process reported in its last export; null where nothing was reported. */
  record PoolFigures(
      String pool, Long used, Long idle, Long pending, Long timeouts, Long leaked, Quantile waitP99) {}

  /** The last export of one process, keyed in the receiver by its resource's {@code process.pid}. */
  record ProcessReport(long pid, String serviceName, Map<String, PoolFigures> pools) {}

  /** A quantile bounded by histogram buckets: at most {@code seconds}, or above it when {@code above}. */
  record Quantile(double seconds, boolean above) {}

  private final HttpServer server;
  private final Map<Long, ProcessReport> latest = new ConcurrentHashMap<>();

  private OtlpMetricsReceiver(HttpServer server) {
    this.server = server;
  }

  static OtlpMetricsReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    OtlpMetricsReceiver receiver = new OtlpMetricsReceiver(server);
    server.createContext("/", receiver::handle);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return receiver;
  }

  /** For {@code otel.exporter.otlp.endpoint}: the exporter appends {@code /v1/metrics}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  ProcessReport latest(long pid) {
    return latest.get(pid);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/v1/metrics")
          || !exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      ExportMetricsServiceRequest request;
      try (InputStream body = body(exchange)) {
        request = ExportMetricsServiceRequest.parseFrom(body);
      } catch (IOException e) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      for (ProcessReport report : decode(request)) {
        latest.put(report.pid(), report);
      }
      byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length);
      exchange.getResponseBody().write(response);
    }
  }

  private static InputStream body(HttpExchange exchange) throws IOException {
    InputStream body = exchange.getRequestBody();
    return "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
        ? new GZIPInputStream(body)
        : body;
  }

  static List<ProcessReport> decode(ExportMetricsServiceRequest request) {
    List<ProcessReport> reports = new ArrayList<>();
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      List<KeyValue> resource = resourceMetrics.getResource().getAttributesList();
      AnyValue pid = attribute(resource, "process.pid");
      if (pid == null) {
        continue; // cannot be told apart from other processes
      }
      AnyValue service = attribute(resource, "service.name");
      Map<String, Pool> pools = new TreeMap<>();
      for (ScopeMetrics scope : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          read(metric, pools);
        }
      }
      Map<String, PoolFigures> figures = new TreeMap<>();
      pools.forEach((name, pool) -> figures.put(name, pool.figures(name)));
      reports.add(new ProcessReport(
          pid.hasIntValue() ? pid.getIntValue() : Long.parseLong(pid.getStringValue()),
          service == null ? "?" : service.getStringValue(),
          figures));
    }
    return reports;
  }

  /** Figures of one pool while an export is read. */
  private static final class Pool {
    Long used;
    Long idle;
    Long pending;
    // counters have no point until their first increment: no point means none yet
    long timeouts;
    long leaked;
    Quantile waitP99;

    PoolFigures figures(String name) {
      return new PoolFigures(name, used, idle, pending, timeouts, leaked, waitP99);
    }
  }

  private static void read(Metric metric, Map<String, Pool> pools) {
    switch (metric.getName()) {
      case "db.client.connection.count" -> {
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          Pool pool = pool(pools, p.getAttributesList());
          AnyValue state = attribute(p.getAttributesList(), "db.client.connection.state");
          String s = state == null ? "" : state.getStringValue();
          if (s.equals("used")) {
            pool.used = add(pool.used, value(p));
          } else if (s.equals("idle")) {
            pool.idle = add(pool.idle, value(p));
          }
        }
      }
      case "db.client.connection.pending_requests" -> {
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          Pool pool = pool(pools, p.getAttributesList());
          pool.pending = add(pool.pending, value(p));
        }
      }
      case "db.client.connection.timeouts" -> {
        // one point per error.type: the table shows their sum
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          Pool pool = pool(pools, p.getAttributesList());
          pool.timeouts += value(p);
        }
      }
      case "poolscope.connection.abandoned" -> {
        // the agent's own metric: checked-out connections that became garbage without close
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          pool(pools, p.getAttributesList()).leaked += value(p);
        }
      }
      case "db.client.connection.wait_time" -> {
        double toSeconds = metric.getUnit().equals("ms") ? 1e-3 : 1;
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
          Pool pool = pool(pools, p.getAttributesList());
          Quantile p99 = quantile(0.99, p.getExplicitBoundsList(), p.getBucketCountsList(), toSeconds);
          if (p99 != null && p.hasMax() && p.getMax() * toSeconds < p99.seconds()) {
            // the largest wait seen is a tighter bound than the bucket's (the agent may send it)
            p99 = new Quantile(p.getMax() * toSeconds, false);
          }
          pool.waitP99 = p99;
        }
      }
      default -> {
        // other metrics are not in the table
      }
    }
  }

  /**
   * Bounds a quantile by the buckets: the upper bound of the bucket that holds its rank, or the last
   * bound when it falls in the overflow bucket. No interpolation: the agent's buckets are wide (1 s to
   * 2.5 s), and waits that time out after 1 s would read as "p99 2.4 s", a precision the data lacks.
   * Null when the histogram is empty.
   */
  static Quantile quantile(double q, List<Double> bounds, List<Long> counts, double toSeconds) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < counts.size(); i++) {
      below += counts.get(i);
      if (counts.get(i) > 0 && below >= rank) {
        return i < bounds.size()
            ? new Quantile(bounds.get(i) * toSeconds, false)
            : new Quantile(bounds.get(bounds.size() - 1) * toSeconds, true);
      }
    }
    return null; // counts inconsistent with their total: cannot happen
  }

  private static Pool pool(Map<String, Pool> pools, List<KeyValue> attributes) {
    AnyValue name = attribute(attributes, POOL);
    return pools.computeIfAbsent(name == null ? "?" : name.getStringValue(), n -> new Pool());
  }

  private static long value(NumberDataPoint point) {
    return point.hasAsInt() ? point.getAsInt() : Math.round(point.getAsDouble());
  }

  private static Long add(Long sum, long value) {
    return sum == null ? value : sum + value;
  }

  private static AnyValue attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }
}
