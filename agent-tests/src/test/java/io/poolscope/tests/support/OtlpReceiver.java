package io.poolscope.tests.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP (protobuf) collector on 127.0.0.1: it keeps every metrics and trace export in
 * arrival order so tests can check what the agent really sent, not what it meant to send.
 *
 * <p>The server's single dispatcher thread handles exchanges one at a time, so arrival order is the
 * storage order, and an export is stored before its 200 goes out: once a child JVM has exited after
 * its final (acknowledged) flush, that flush is already here.
 */
public final class OtlpReceiver implements AutoCloseable {

  private final HttpServer server;
  private final List<ExportMetricsServiceRequest> metricExports = new ArrayList<>();
  private final List<String> otherRequests = new ArrayList<>();
  private final List<ExportTraceServiceRequest> traceExports = new ArrayList<>();
  /** Every request body as received (after gzip), whatever its path: what a secret must never be in. */
  private final List<byte[]> rawBodies = new ArrayList<>();
  /** Every request's protocol, path and the headers that decide how a collector or proxy reads it. */
  private final List<String> requestHeads = new ArrayList<>();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  public static OtlpReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      OtlpReceiver receiver = new OtlpReceiver(server);
      server.createContext("/", receiver::handle);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the OTLP receiver", e);
    }
  }

  /** Base URL for {@code otel.exporter.otlp.endpoint}; the exporter appends {@code /v1/metrics}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Everything received so far, as one query. */
  public MetricQuery metrics() {
    return MetricQuery.of(metricExports());
  }

  public synchronized List<ExportMetricsServiceRequest> metricExports() {
    return List.copyOf(metricExports);
  }

  public synchronized int exportCount() {
    return metricExports.size();
  }

  /** Every span of every trace export so far, in arrival order. */
  public List<ReceivedSpan> spans() {
    List<ReceivedSpan> spans = new ArrayList<>();
    for (ExportTraceServiceRequest export : traceExports()) {
      ReceivedSpan.flatten(export, spans);
    }
    return spans;
  }

  public synchronized List<ExportTraceServiceRequest> traceExports() {
    return List.copyOf(traceExports);
  }

  /** Like {@link #awaitMetric}: polls until the spans satisfy {@code condition}, returns them either way. */
  public List<ReceivedSpan> awaitSpans(Predicate<List<ReceivedSpan>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ReceivedSpan> spans = spans();
      if (condition.test(spans) || System.nanoTime() - deadline >= 0) {
        return spans;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return spans;
      }
    }
  }

  /** The bodies of all requests so far, metrics, traces, logs and rejected ones alike. */
  public synchronized List<byte[]> rawBodies() {
    return List.copyOf(rawBodies);
  }

  /**
   * One line per request, such as {@code HTTP/1.1 POST /v1/metrics Content-Type=application/x-protobuf
   * Content-Encoding=null Upgrade=null User-Agent=...}.
   */
  public synchronized List<String> requestHeads() {
    return List.copyOf(requestHeads);
  }

  /** Paths and reasons of requests that were not metrics exports (traces, logs, rejects). */
  public synchronized List<String> otherRequests() {
    return List.copyOf(otherRequests);
  }

  /**
   * Polls until the points of {@code metric} satisfy {@code condition} or the timeout passes, and
   * returns everything received by then either way: the caller asserts exact values afterwards, so
   * a failure shows the real numbers rather than "timed out".
   */
  public MetricQuery awaitMetric(String metric, Predicate<MetricQuery> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      MetricQuery all = metrics();
      if (condition.test(all.metric(metric)) || System.nanoTime() - deadline >= 0) {
        return all;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return all;
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      recordHead(exchange, path);
      if (!"POST".equals(exchange.getRequestMethod())) {
        reject(exchange, 405, exchange.getRequestMethod() + " " + path);
        return;
      }
      byte[] body = readBody(exchange);
      synchronized (this) {
        rawBodies.add(body);
      }
      byte[] response;
      switch (path) {
        case "/v1/metrics" -> {
          ExportMetricsServiceRequest export = ExportMetricsServiceRequest.parseFrom(body);
          synchronized (this) {
            metricExports.add(export);
          }
          response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
        }
        case "/v1/traces" -> {
          recordOther(path + " (" + body.length + " bytes)");
          ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body);
          synchronized (this) {
            traceExports.add(export);
          }
          response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        }
        case "/v1/logs" -> {
          recordOther(path + " (" + body.length + " bytes)");
          response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
        }
        default -> {
          reject(exchange, 404, "POST " + path);
          return;
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      exchange.getResponseBody().write(response);
    } catch (IOException | RuntimeException e) {
      // a malformed export must fail the sender visibly, and the test through missing data
      recordOther("failed: " + e);
      throw e;
    }
  }

  private synchronized void recordHead(HttpExchange exchange, String path) {
    StringBuilder head = new StringBuilder(exchange.getProtocol()).append(' ')
        .append(exchange.getRequestMethod()).append(' ').append(path);
    for (String name : List.of("Content-Type", "Content-Encoding", "Upgrade", "User-Agent")) {
      head.append(' ').append(name).append('=').append(exchange.getRequestHeaders().getFirst(name));
    }
    requestHeads.add(head.toString());
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    boolean gzip =
        "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
    try (InputStream in = gzip
        ? new GZIPInputStream(exchange.getRequestBody())
        : exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private void reject(HttpExchange exchange, int status, String what) throws IOException {
    recordOther(status + " " + what);
    exchange.sendResponseHeaders(status, -1);
  }

  private synchronized void recordOther(String what) {
    otherRequests.add(what);
  }
}
