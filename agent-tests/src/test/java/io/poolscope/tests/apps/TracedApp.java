package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;

/**
 * An app that traces its own requests with its own OpenTelemetry SDK: one checkout inside its span
 * {@code GET /orders}, one outside any span, on a HikariCP pool named {@code traced-pool}.
 *
 * <p>Args: JDBC URL, OTLP base endpoint. Prints {@code APP_SPAN trace=T span=S}, then {@code DONE}.
 */
public final class TracedApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "traced-app"))))
        .addSpanProcessor(SimpleSpanProcessor.create(
            OtlpHttpSpanExporter.builder().setEndpoint(args[1] + "/v1/traces").build()))
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    Tracer tracer = sdk.getTracer("traced-app");

    // the agent's exporter, started by the first JDBC call, is up before the checkouts that count
    AppMain.awaitAgentExporting();
    try (HikariDataSource pool = Pools.hikari(args[0], 2, "traced-pool")) {
      Span request = tracer.spanBuilder("GET /orders").startSpan();
      // the connection closes before the scope does: the whole checkout is inside the request
      try (Scope scope = request.makeCurrent(); Connection connection = pool.getConnection()) {
        AppMain.selectOne(connection);
      } finally {
        request.end();
      }
      System.out.println("APP_SPAN trace=" + request.getSpanContext().getTraceId()
          + " span=" + request.getSpanContext().getSpanId());
      try (Connection connection = pool.getConnection()) {
        AppMain.selectOne(connection);
      }
    }
    sdk.shutdown().join(10, TimeUnit.SECONDS);
    System.out.println("DONE");
  }
}
