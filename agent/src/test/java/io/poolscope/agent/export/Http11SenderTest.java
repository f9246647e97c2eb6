package io.poolscope.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OTLP exporter as the SDK builds it, on {@link Http11Sender} (the only sender provider here),
 * against a real HTTP server on loopback that answers with the statuses each test scripts.
 */
class Http11SenderTest {

  private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());
  private final HttpServer server = startServer();
  private OtlpHttpMetricExporter exporter;

  private HttpServer startServer() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        received.add(exchange.getProtocol() + " " + exchange.getRequestHeaders().getFirst("Upgrade"));
        Integer status = script.poll();
        exchange.sendResponseHeaders(status == null ? 200 : status, -1);
        exchange.close();
      });
      http.start();
      return http;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.shutdown();
    }
    server.stop(0);
  }

  private CompletableResultCode export(String endpoint, Duration initialBackoff) {
    return export(endpoint, initialBackoff, Duration.ofSeconds(10));
  }

  private CompletableResultCode export(String endpoint, Duration initialBackoff, Duration timeout) {
    exporter = OtlpHttpMetricExporter.builder()
        .setEndpoint(endpoint)
        .setTimeout(timeout)
        .setRetryPolicy(RetryPolicy.builder().setInitialBackoff(initialBackoff).build())
        .build();
    return exporter.export(Collections.emptyList());
  }

  private String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/metrics";
  }

  @Test
  void retriesAnUnavailableCollectorOverHttp11AndSucceeds() {
    script.add(503);
    script.add(429);
    CompletableResultCode result = export(endpoint(), Duration.ofMillis(20)).join(5, TimeUnit.SECONDS);
    assertTrue(result.isSuccess(), "the third try is answered 200");
    assertEquals(List.of("HTTP/1.1 null", "HTTP/1.1 null", "HTTP/1.1 null"), received,
        "three tries, each plain HTTP/1.1 with no h2c upgrade");
  }

  @Test
  void doesNotRetryAnAnswerThatWillNotChange() {
    script.add(500);
    CompletableResultCode result = export(endpoint(), Duration.ofMillis(20)).join(5, TimeUnit.SECONDS);
    assertFalse(result.isSuccess());
    assertEquals(1, received.size(), "one try: 500 is not retryable for OTLP/HTTP");
  }

  @Test
  void shutdownEndsAnExportWaitingToRetryWithItsLastFailure() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    // refused at once, then a 10 s backoff: only shutdown can end it sooner
    CompletableResultCode result =
        export("http://127.0.0.1:" + closedPort + "/v1/metrics", Duration.ofSeconds(10));
    result.join(1, TimeUnit.SECONDS); // the refusal comes in milliseconds, the retry in 8-12 s
    assertFalse(result.isDone(), "the export waits to retry");
    exporter.shutdown();
    result.join(1, TimeUnit.SECONDS);
    assertTrue(result.isDone() && !result.isSuccess(), "ended by shutdown, as a failure");
    assertInstanceOf(ConnectException.class, result.getFailureThrowable().getCause(),
        () -> "the warning names why: " + result.getFailureThrowable());
  }

  @Test
  void aCollectorThatNeverAnswersEndsTheExportAtItsTimeout() throws IOException {
    try (ServerSocket blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEndsAtTimeoutOf500Ms(blackHole);
    }
  }

  /**
   * The client's own timeout ends nothing once the answer's headers are in: a collector that sends
   * them and never the body is ended by the export's own timer alone.
   */
  @Test
  void aCollectorThatStallsAfterItsHeadersEndsTheExportAtItsTimeout() throws Exception {
    try (ServerSocket stalling = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread collector = new Thread(() -> answerHeadersOnly(stalling));
      collector.setDaemon(true);
      collector.start();
      assertEndsAtTimeoutOf500Ms(stalling);
    }
  }

  /** An export to {@code collector} with a 500 ms timeout fails at that timeout, with a timeout. */
  private void assertEndsAtTimeoutOf500Ms(ServerSocket collector) {
    long start = System.nanoTime();
    CompletableResultCode result = export("http://127.0.0.1:" + collector.getLocalPort()
        + "/v1/metrics", Duration.ofMillis(20), Duration.ofMillis(500)).join(5, TimeUnit.SECONDS);
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(result.isDone() && !result.isSuccess(), "failed after " + tookMillis + " ms");
    assertInstanceOf(HttpTimeoutException.class, result.getFailureThrowable().getCause(),
        () -> "the warning names why: " + result.getFailureThrowable());
    assertTrue(tookMillis >= 450 && tookMillis < 2000, "ended after " + tookMillis + " ms");
  }

  /** Reads a request's headers, answers 200 with a body announced and never sent, holds on. */
  private static void answerHeadersOnly(ServerSocket server) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      int matched = 0;
      while (matched < 4) { // up to the blank line after the request's headers
        int b = in.read();
        if (b < 0) {
          return;
        }
        matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      socket.getOutputStream().write(
          "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      in.read(); // until the client gives up and closes
    } catch (IOException e) {
      // the server socket closed at the test's end
    }
  }
}
