package io.poolscope.agent.entry;

import io.poolscope.agent.bootstrap.JdbcHooks;
import io.poolscope.agent.bootstrap.JdbcListener;
import io.poolscope.agent.config.AgentConfig;
import io.poolscope.agent.config.ServiceName;
import io.poolscope.agent.export.Telemetry;
import io.poolscope.agent.hooks.JdbcInstrumentation;
import io.poolscope.agent.tracking.CheckoutTracker;
import io.poolscope.agent.tracking.LeakWatcher;
import java.lang.instrument.Instrumentation;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Wires tracking to the hooks and to export. Kept apart from {@link Installer} because linking it
 * resolves the bootstrap hook classes, which must only happen after they were injected.
 */
final class Components {

  private Components() {}

  static void start(
      AgentConfig config, Instrumentation instrumentation, String version, boolean live) {
    // a scrape endpoint is expected from the start, and a span of every checkout asked for; otherwise
    // export waits for the first JDBC call
    JdbcHooks.install(
        servesScrapes(System.getProperties(), System.getenv()) || config.spans == AgentConfig.Spans.ALL
            ? tracking(config, version)
            : new StartOnFirstCall(() -> tracking(config, version)));
    JdbcInstrumentation.install(instrumentation, JdbcHooks.class, config.debug, live);
  }

  /**
   * Whether metrics are served for scraping ({@code otel.metrics.exporter} names prometheus): a
   * scraper expects the endpoint as soon as the app runs, not only once it has used JDBC.
   */
  static boolean servesScrapes(Properties systemProperties, Map<String, String> env) {
    String exporter = systemProperties.getProperty("otel.metrics.exporter");
    if (exporter == null) {
      exporter = env.get("OTEL_METRICS_EXPORTER");
    }
    return exporter != null && exporter.toLowerCase(Locale.ROOT).contains("prometheus");
  }

  /** The tracker, with its leak watcher and exporter running; what the hooks report to. */
  private static JdbcListener tracking(AgentConfig config, String version) {
    CheckoutTracker tracker =
        new CheckoutTracker(config, ServiceName.effective(System.getProperties(), System.getenv()));
    LeakWatcher.start(tracker, config.leakThresholdMillis);
    Telemetry.start(version, tracker, config);
    return config.testFault ? new FaultyListener(tracker) : tracker;
  }
}
