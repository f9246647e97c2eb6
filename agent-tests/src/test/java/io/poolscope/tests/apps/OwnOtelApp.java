package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Paths;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An app that ships its own OpenTelemetry SDK, as many do, and traces its requests with it: each of
 * {@value #REQUESTS} spans {@code GET /orders} holds {@value #CHECKOUTS_PER_REQUEST} checkouts, and a
 * counter {@code app.requests} counts them. The agent's relocated SDK must not clash with it, and
 * both must reach the collector. Compiled against the tests' OpenTelemetry, it calls only API that
 * older releases (OwnOpenTelemetryTest runs it on its own 1.42.1 jars) already had.
 *
 * <p>Args: JDBC URL, OTLP base endpoint. Prints {@code OTEL sdk=VERSION jar=JAR} (the SDK it really
 * loaded) and {@code DONE requests=10 checkouts=50}.
 */
public final class OwnOtelApp {

  public static final String SERVICE = "app-own-otel";
  public static final String POOL = "own-otel-pool";
  public static final String REQUEST_SPAN = "GET /orders";
  public static final int REQUESTS = 10;
  public static final int CHECKOUTS_PER_REQUEST = 5;
  static final AttributeKey<String> SDK_VERSION = AttributeKey.stringKey("telemetry.sdk.version");

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    Resource resource = Resource.getDefault().merge(
        Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), SERVICE)));
    SdkMeterProvider meterProvider = SdkMeterProvider.builder()
        .setResource(resource)
        .registerMetricReader(PeriodicMetricReader.builder(
                OtlpHttpMetricExporter.builder().setEndpoint(args[1] + "/v1/metrics").build())
            .setInterval(Duration.ofMillis(200)).build())
        .build();
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(
                OtlpHttpSpanExporter.builder().setEndpoint(args[1] + "/v1/traces").build())
            .setScheduleDelay(Duration.ofMillis(200)).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setMeterProvider(meterProvider).setTracerProvider(tracerProvider).build();
    System.out.println("OTEL sdk=" + resource.getAttribute(SDK_VERSION) + " jar=" + Paths.get(
        OpenTelemetrySdk.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getFileName());

    LongCounter requests = sdk.getMeter(SERVICE).counterBuilder("app.requests").build();
    Tracer tracer = sdk.getTracer(SERVICE);
    int checkouts = 0;
    try (HikariDataSource pool = Pools.hikari(args[0], 2, POOL)) {
      for (int i = 0; i < REQUESTS; i++) {
        Span request = tracer.spanBuilder(REQUEST_SPAN).startSpan();
        try (Scope scope = request.makeCurrent()) {
          for (int c = 0; c < CHECKOUTS_PER_REQUEST; c++) {
            try (Connection connection = pool.getConnection()) {
              AppMain.selectOne(connection);
              checkouts++;
            }
          }
        } finally {
          request.end();
        }
        requests.add(1);
      }
      AppMain.sleep(600);
    }
    // shutdown flushes the app's last spans and metrics
    sdk.shutdown().join(10, TimeUnit.SECONDS);
    System.out.println("DONE requests=" + REQUESTS + " checkouts=" + checkouts);
  }
}
