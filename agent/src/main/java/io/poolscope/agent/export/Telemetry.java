package io.poolscope.agent.export;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.resources.Resource;
import io.poolscope.agent.config.AgentConfig;
import io.poolscope.agent.config.Log;
import io.poolscope.agent.tracking.CheckoutTracker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenTelemetry SDK, configured by its own autoconfigure module from the standard {@code otel.*}
 * system properties and {@code OTEL_*} variables. It starts on a background thread, so the app's
 * startup never waits for it, and stops within a bounded time when the JVM exits.
 */
public final class Telemetry {

  /** Strongly held: java.util.logging forgets the level of a logger nobody references. */
  private static final Logger SDK_LOG =
      Logger.getLogger(OpenTelemetrySdk.class.getPackageName().replace(".sdk", ""));

  private final String version;
  private final CheckoutTracker tracker;
  private final AgentConfig agentConfig;
  private final long shutdownTimeoutMillis;
  private final Thread starter;
  /** Null with {@code poolscope.spans=off}. */
  private final CheckoutSpans spans;
  private volatile OpenTelemetrySdk sdk;
  private volatile ConfigProperties config;
  private volatile Resource resource;

  private Telemetry(String version, CheckoutTracker tracker, AgentConfig agentConfig) {
    this.version = version;
    this.tracker = tracker;
    this.agentConfig = agentConfig;
    this.shutdownTimeoutMillis = agentConfig.shutdownTimeoutMillis;
    this.spans =
        agentConfig.spans == AgentConfig.Spans.OFF ? null : new CheckoutSpans(tracker, agentConfig);
    this.starter = new Thread(this::start, "poolscope-telemetry-start");
    starter.setDaemon(true);
  }

  public static Telemetry start(String version, CheckoutTracker tracker, AgentConfig agentConfig) {
    Telemetry telemetry = new Telemetry(version, tracker, agentConfig);
    if (telemetry.spans != null) {
      tracker.events(telemetry.spans); // from now: checkouts ending while the SDK starts keep their span
    }
    telemetry.starter.start();
    Thread hook = new Thread(telemetry::stop, "poolscope-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return telemetry;
  }

  private void start() {
    try {
      // the SDK logs through java.util.logging into the app's log; poolscope says what matters itself
      SDK_LOG.setLevel(Level.OFF);
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(this::defaults)
              .addPropertiesCustomizer(Telemetry::supportedProtocol)
              .addResourceCustomizer(
                  (detected, config) -> resource = ResourceDefaults.apply(detected, config, version))
              .addMeterProviderCustomizer(
                  (builder, config) -> {
                    this.config = config;
                    return builder
                        .registerMetricProducer(
                            new PoolMetricProducer(version, tracker, conventions(config)))
                        // poolscope records through its producer only: instruments are the SDK's own
                        // exporter self-metrics, under relocated names users should never see
                        .registerView(
                            InstrumentSelector.builder().setName("*").build(),
                            View.builder().setAggregation(Aggregation.drop()).build());
                  })
              .addMetricExporterCustomizer(
                  (exporter, config) -> new WarningMetricExporter(exporter, destination(config, "metrics")))
              .addSpanExporterCustomizer(
                  (exporter, config) ->
                      new WarningSpanExporter(exporter, destination(config, "traces")))
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
      if (spans != null) {
        spans.ready(sdk.getTracer("io.poolscope.agent", version));
      }
      // a first export at once: the HTTP client is warm before the exit's final export, which a
      // short-lived app may reach soon after its first JDBC call started the SDK
      sdk.getSdkMeterProvider().forceFlush();
      Log.info(startedLine());
    } catch (Throwable t) {
      Log.warn("OpenTelemetry could not start; pools are tracked but not exported", t);
    }
  }

  private String startedLine() {
    String line =
        "poolscope " + version + " started: instrumenting javax.sql.DataSource.getConnection and "
            + "java.sql.Connection.close in every class loader";
    if (config == null) {
      return line + "; metrics are off (otel.metrics.exporter=none)";
    }
    return line + "; metrics to " + destination(config, "metrics") + " every "
        + config.getDuration("otel.metric.export.interval", Duration.ofMinutes(1)).toMillis() + " ms"
        + " as service.name=" + resource.getAttribute(ResourceDefaults.SERVICE_NAME);
  }

  /** Metrics, and spans unless switched off; the user's own {@code otel.*} settings override these. */
  private Map<String, String> defaults() {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.traces.exporter", agentConfig.spans == AgentConfig.Spans.OFF ? "none" : "otlp");
    defaults.put("otel.logs.exporter", "none");
    // the SDK's own default is grpc, which the JDK HTTP sender cannot speak
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    // a scrape endpoint (otel.metrics.exporter=prometheus) listens on loopback unless told otherwise
    defaults.put("otel.exporter.prometheus.host", "127.0.0.1");
    return defaults;
  }

  /**
   * The agent sends with the JDK's HTTP client, which cannot speak gRPC (it has no trailers): a grpc
   * setting is answered with one warning and http/protobuf.
   */
  private static Map<String, String> supportedProtocol(ConfigProperties config) {
    Map<String, String> overrides = new HashMap<>();
    for (String key :
        List.of(
            "otel.exporter.otlp.protocol",
            "otel.exporter.otlp.metrics.protocol",
            "otel.exporter.otlp.traces.protocol")) {
      String value = config.getString(key);
      if (value != null && value.trim().toLowerCase(Locale.ROOT).equals("grpc")) {
        Log.warn(
            "option " + key + "=grpc is not supported by poolscope (JDK HTTP sender); using "
                + "http/protobuf: point the endpoint at the collector's OTLP/HTTP port (4318)");
        overrides.put(key, "http/protobuf");
      }
    }
    return overrides;
  }

  static List<Convention> conventions(ConfigProperties config) {
    for (String value : config.getList("otel.semconv-stability.opt-in")) {
      if (value.trim().equals("database/dup")) {
        return List.of(Convention.STABLE, Convention.OLD);
      }
    }
    return List.of(Convention.STABLE);
  }

  /** Where a signal goes, for the startup line and warnings; never with credentials or query. */
  static String destination(ConfigProperties config, String signal) {
    String exporter = String.join(",", config.getList("otel." + signal + ".exporter", List.of("otlp")));
    if (exporter.contains("prometheus")) {
      return exporter.replace("prometheus", "prometheus scrape at http://"
          + config.getString("otel.exporter.prometheus.host") + ":"
          + config.getInt("otel.exporter.prometheus.port", 9464) + "/metrics");
    }
    if (!exporter.equals("otlp")) {
      return exporter;
    }
    String endpoint = config.getString("otel.exporter.otlp." + signal + ".endpoint");
    if (endpoint == null) {
      String base = config.getString("otel.exporter.otlp.endpoint", "http://localhost:4318");
      endpoint = base.endsWith("/") ? base + "v1/" + signal : base + "/v1/" + signal;
    }
    return endpoint.replaceFirst("//[^/@]*@", "//").replaceFirst("\\?.*$", "");
  }

  private void stop() {
    if (tracker.pools().isEmpty() && tracker.servers().isEmpty()) {
      return; // no JDBC seen: nothing to tell, so the app's exit waits for nothing
    }
    try {
      // one bound for both waits: an SDK still starting and the final export share the timeout
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMillis);
      if (shutdownTimeoutMillis > 0) {
        starter.join(shutdownTimeoutMillis); // join(0) would wait for ever
      }
      OpenTelemetrySdk current = sdk;
      if (current != null) {
        tracker.exiting();
        // the final export: the app's last figures reach the collector, within a bounded wait
        long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        current.shutdown().join(left, TimeUnit.MILLISECONDS);
      }
    } catch (Throwable t) {
      Log.warn("could not flush telemetry at exit", t);
    }
  }
}
