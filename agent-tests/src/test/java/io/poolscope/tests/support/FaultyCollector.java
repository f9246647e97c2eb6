package io.poolscope.tests.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A collector that fails in one of the ways real ones do, on 127.0.0.1: gone, hung, refusing, or
 * talking nonsense. It counts the connections or requests it got, so a test can tell "the agent
 * tried and failed" from "the agent never tried".
 */
public final class FaultyCollector implements AutoCloseable {

  /** How the collector misbehaves. */
  public enum Fault {
    /** Nothing listens on the port: connection refused. */
    DOWN,
    /** Accepts connections and never reads or answers: the sender waits for its own timeout. */
    BLACK_HOLE,
    /** Answers every request with HTTP 500 (not retryable for OTLP). */
    STATUS_500,
    /** Answers every request with HTTP 429 (retryable for OTLP: the sender backs off). */
    STATUS_429,
    /** Answers 200 with random bytes that are no protobuf response. */
    GARBAGE
  }

  private final Fault fault;
  private final int port;
  private final AtomicInteger hits = new AtomicInteger();
  private final List<Socket> heldOpen = new ArrayList<>();
  private final AutoCloseable server;

  private FaultyCollector(Fault fault) throws IOException {
    this.fault = fault;
    switch (fault) {
      case DOWN -> {
        // a port that was free a moment ago; nobody will listen on it during the test
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          port = probe.getLocalPort();
        }
        server = () -> {};
      }
      case BLACK_HOLE -> {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = socket.getLocalPort();
        server = socket;
        Thread acceptor = new Thread(() -> acceptForever(socket), "black-hole-collector");
        acceptor.setDaemon(true);
        acceptor.start();
      }
      default -> {
        HttpServer http =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::answer);
        http.start();
        port = http.getAddress().getPort();
        server = () -> http.stop(0);
      }
    }
  }

  public static FaultyCollector start(Fault fault) {
    try {
      return new FaultyCollector(fault);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a " + fault + " collector", e);
    }
  }

  /** For {@code otel.exporter.otlp.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public Fault fault() {
    return fault;
  }

  /** Connections accepted (black hole) or requests answered (HTTP faults); 0 when down. */
  public int hits() {
    return hits.get();
  }

  private void acceptForever(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        hits.incrementAndGet();
        synchronized (heldOpen) {
          heldOpen.add(client); // never read, never answered, never closed until the test ends
        }
      } catch (IOException e) {
        return; // closed by close()
      }
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      hits.incrementAndGet();
      switch (fault) {
        case STATUS_500 -> exchange.sendResponseHeaders(500, -1);
        case STATUS_429 -> exchange.sendResponseHeaders(429, -1);
        case GARBAGE -> {
          byte[] garbage = new byte[512];
          new Random(42).nextBytes(garbage);
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, garbage.length);
          exchange.getResponseBody().write(garbage);
        }
        default -> throw new IllegalStateException("not an HTTP fault: " + fault);
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (Exception ignored) {
      // the test is over; nothing depends on a clean stop
    }
    synchronized (heldOpen) {
      for (Socket socket : heldOpen) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // same
        }
      }
    }
  }
}
