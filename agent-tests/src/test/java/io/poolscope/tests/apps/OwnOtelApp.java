package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An app that ships its own OpenTelemetry SDK, as many do: the agent's relocated copy must not
 * clash with it, and both must reach the collector.
 *
 * <p>Args: JDBC URL, OTLP base endpoint. Prints {@code DONE requests=10 checkouts=50}.
 */
public final class OwnOtelApp {

  static final int REQUESTS = 10;
  static final int CHECKOUTS = 50;

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    OtlpHttpMetricExporter exporter =
        OtlpHttpMetricExporter.builder().setEndpoint(args[1] + "/v1/metrics").build();
    SdkMeterProvider meterProvider = SdkMeterProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "app-own-otel"))))
        .registerMetricReader(
            PeriodicMetricReader.builder(exporter).setInterval(Duration.ofMillis(200)).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build();

    LongCounter requests = sdk.getMeter("app-own-otel").counterBuilder("app.requests").build();
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(1);
    }
    int checkouts = 0;
    try (HikariDataSource pool = Pools.hikari(args[0], 2, "own-otel-pool")) {
      for (int i = 0; i < CHECKOUTS; i++) {
        try (Connection connection = pool.getConnection()) {
          AppMain.selectOne(connection);
          checkouts++;
        }
      }
      AppMain.sleep(600);
    }
    // shutdown flushes the app's last export
    sdk.shutdown().join(10, TimeUnit.SECONDS);
    System.out.println("DONE requests=" + REQUESTS + " checkouts=" + checkouts);
  }
}
