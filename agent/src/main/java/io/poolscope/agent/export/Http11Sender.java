package io.poolscope.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * OTLP/HTTP with the JDK's client pinned to HTTP/1.1. The SDK's own JDK sender keeps the client's
 * default, HTTP/2, which on a plain {@code http://} endpoint sends every new connection's first
 * request as an h2c upgrade: collectors and proxies that do not answer it stall or reset the export
 * (opentelemetry-java#6158), and an export that stalls until the exit is cut off there. OTLP/HTTP
 * needs nothing from HTTP/2. Requests go asynchronously, so no thread waits on a slow collector.
 */
final class Http11Sender implements HttpSender {

  /** The answers OTLP/HTTP says to retry: too many requests, bad gateway, unavailable, timeout. */
  private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 502, 503, 504);

  private final HttpSenderConfig config;
  private final ExecutorService executor;
  private final HttpClient client;
  private final Set<Export> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean shutdown;

  Http11Sender(HttpSenderConfig config) {
    this.config = config;
    this.executor =
        config.getExecutorService() != null
            ? config.getExecutorService()
            : Executors.newCachedThreadPool(
                task -> {
                  Thread thread = new Thread(task, "poolscope-otlp-http");
                  thread.setDaemon(true);
                  return thread;
                });
    this.client = client(config, executor);
  }

  private static HttpClient client(HttpSenderConfig config, ExecutorService executor) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.getConnectTimeout())
            .executor(executor);
    if (config.getSslContext() != null) {
      builder.sslContext(config.getSslContext());
    }
    if (config.getProxyOptions() != null) {
      builder.proxy(config.getProxyOptions().getProxySelector());
    }
    List<String> protocols = config.getEnabledProtocols();
    if (protocols != null && !protocols.isEmpty()) {
      SSLParameters parameters = new SSLParameters();
      parameters.setProtocols(protocols.toArray(new String[0]));
      builder.sslParameters(parameters);
    }
    return builder.build();
  }

  @Override
  public void send(
      MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    Export export;
    try {
      export = new Export(body(message));
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    }
    inFlight.add(export);
    export.result.whenComplete(
        (response, failure) -> {
          inFlight.remove(export);
          if (failure == null) {
            onResponse.accept(response);
          } else {
            onError.accept(failure);
          }
        });
    export.start();
  }

  private byte[] body(MessageWriter message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.getContentLength());
    Compressor compressor = config.getCompressor();
    try (OutputStream out = compressor == null ? bytes : compressor.compress(bytes)) {
      message.writeMessage(out);
    }
    return bytes.toByteArray();
  }

  /**
   * One export: a try, and the next after a backoff while the retry policy allows and the export's
   * timeout has time left, on a 429/502/503/504 answer (after its Retry-After) or a retryable I/O
   * failure. Its timeout, or {@link #shutdown}, ends it with what it last got.
   */
  private final class Export {
    final CompletableFuture<HttpResponse> result = new CompletableFuture<>();
    /** Null once ended: the timeout's timer keeps this object until it fires, but not the body. */
    private volatile byte[] body;
    private final long deadline = System.nanoTime() + config.getTimeout().toNanos();
    private int attempts;
    private volatile java.net.http.HttpResponse<byte[]> lastResponse;
    private volatile Throwable lastFailure;

    Export(byte[] body) {
      this.body = body;
    }

    /** The first try, and a timer that ends the export at its deadline whatever the client does. */
    void start() {
      long timeoutNanos = deadline - System.nanoTime();
      CompletableFuture.delayedExecutor(timeoutNanos, TimeUnit.NANOSECONDS, executor)
          .execute(this::end);
      attempt();
    }

    void attempt() {
      byte[] payload = body;
      if (payload == null) {
        return;
      }
      attempts++;
      try {
        client
            .sendAsync(request(payload, deadline - System.nanoTime()), BodyHandlers.ofByteArray())
            .whenComplete(this::answered);
      } catch (RuntimeException e) { // a header the client refuses: no try will do better
        lastFailure = e;
        end();
      }
    }

    private void answered(java.net.http.HttpResponse<byte[]> response, Throwable failure) {
      if (body == null) {
        return; // ended meanwhile, by its timeout or shutdown
      }
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      lastResponse = response;
      lastFailure = cause;
      RetryPolicy retry = config.getRetryPolicy();
      if (retry == null
          || attempts >= retry.getMaxAttempts()
          || shutdown
          || !retryable(retry, response, cause)) {
        end();
        return;
      }
      long backoffNanos = backoffNanos(retry, attempts, response);
      if (System.nanoTime() + backoffNanos >= deadline) {
        end();
        return;
      }
      CompletableFuture.delayedExecutor(backoffNanos, TimeUnit.NANOSECONDS, executor)
          .execute(this::attempt);
    }

    /** With the last answer, or the last failure, or none yet: the collector has not answered. */
    void end() {
      body = null;
      java.net.http.HttpResponse<byte[]> response = lastResponse;
      lastResponse = null; // it holds its request, and so the body
      if (response != null) {
        result.complete(answer(response));
      } else {
        Throwable failure = lastFailure;
        result.completeExceptionally(
            failure != null ? failure : new HttpTimeoutException("no answer from the collector"));
      }
    }
  }

  private HttpRequest request(byte[] body, long timeoutNanos) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.getEndpoint())
            .timeout(Duration.ofNanos(Math.max(1, timeoutNanos)))
            .header("Content-Type", config.getContentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (config.getCompressor() != null) {
      request.header("Content-Encoding", config.getCompressor().getEncoding());
    }
    Map<String, List<String>> headers = config.getHeadersSupplier().get();
    if (headers != null) {
      headers.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
    }
    return request.build();
  }

  /** {@code response}: the answer, or null when the try failed with {@code cause}. */
  private static boolean retryable(
      RetryPolicy retry, java.net.http.HttpResponse<byte[]> response, Throwable cause) {
    if (response != null) {
      return RETRYABLE_STATUS.contains(response.statusCode());
    }
    if (!(cause instanceof IOException) || cause instanceof SSLException) {
      return false;
    }
    return retry.getRetryExceptionPredicate() == null
        || retry.getRetryExceptionPredicate().test((IOException) cause);
  }

  /** Exponential with ±20 % jitter, as the SDK's senders back off, unless Retry-After says. */
  private static long backoffNanos(
      RetryPolicy retry, int attempt, java.net.http.HttpResponse<byte[]> response) {
    String retryAfter =
        response == null ? null : response.headers().firstValue("Retry-After").orElse(null);
    if (retryAfter != null && retryAfter.matches("\\d{1,6}")) { // seconds; an HTTP date is ignored
      return TimeUnit.SECONDS.toNanos(Long.parseLong(retryAfter));
    }
    double backoff =
        retry.getInitialBackoff().toNanos() * Math.pow(retry.getBackoffMultiplier(), attempt - 1);
    backoff = Math.min(backoff, retry.getMaxBackoff().toNanos());
    return (long) (backoff * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
  }

  private static HttpResponse answer(java.net.http.HttpResponse<byte[]> response) {
    int status = response.statusCode();
    byte[] body = response.body();
    return new HttpResponse() {
      @Override
      public int getStatusCode() {
        return status;
      }

      @Override
      public String getStatusMessage() {
        return String.valueOf(status);
      }

      @Override
      public byte[] getResponseBody() {
        return body;
      }
    };
  }

  /**
   * Ends the exports still trying with what they last got, so a collector that is down is reported
   * at the exit. The SDK shuts down at the JVM's exit: requests still on the wire end with it, on
   * daemon threads, and the client's executor stays open for them until then.
   */
  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    for (Export export : inFlight) {
      export.end();
    }
    return CompletableResultCode.ofSuccess();
  }
}
