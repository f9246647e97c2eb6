package io.poolscope.tests.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the agents under test export to: an OTLP/HTTP endpoint on 127.0.0.1 that reads and discards
 * every request and answers 200. Unlike the tests' OtlpReceiver it decodes and keeps nothing, so
 * hundreds of thousands of spans cost this JVM no memory and little CPU while children are measured.
 */
final class OtlpSink implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> bytes = new ConcurrentHashMap<>();

  private OtlpSink(HttpServer server) {
    this.server = server;
  }

  static OtlpSink start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      OtlpSink sink = new OtlpSink(server);
      server.createContext("/", sink::handle);
      server.start();
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the OTLP sink", e);
    }
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests and bytes received per path, e.g. {@code /v1/traces=12 requests, 3456789 bytes}. */
  String summary() {
    Map<String, String> out = new TreeMap<>();
    requests.forEach((path, count) ->
        out.put(path, count.sum() + " requests, " + bytes.get(path).sum() + " bytes"));
    return out.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream body = exchange.getRequestBody()) {
      long length = body.transferTo(OutputStream.nullOutputStream());
      String path = exchange.getRequestURI().getPath();
      requests.computeIfAbsent(path, p -> new LongAdder()).increment();
      bytes.computeIfAbsent(path, p -> new LongAdder()).add(length);
      // an empty body is a valid, empty Export*ServiceResponse
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }
}
