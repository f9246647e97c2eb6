package io.poolscope.agent.entry;

import io.poolscope.agent.bootstrap.JdbcHooks;
import io.poolscope.agent.config.AgentConfig;
import io.poolscope.agent.config.ServiceName;
import io.poolscope.agent.export.Telemetry;
import io.poolscope.agent.hooks.JdbcInstrumentation;
import io.poolscope.agent.tracking.CheckoutTracker;
import io.poolscope.agent.tracking.LeakWatcher;
import java.lang.instrument.Instrumentation;

/**
 * Wires tracking to the hooks and to export. Kept apart from {@link Installer} because linking it
 * resolves the bootstrap hook classes, which must only happen after they were injected.
 */
final class Components {

  private Components() {}

  static void start(
      AgentConfig config, Instrumentation instrumentation, String version, boolean live) {
    CheckoutTracker tracker =
        new CheckoutTracker(config, ServiceName.effective(System.getProperties(), System.getenv()));
    JdbcHooks.install(config.testFault ? new FaultyListener(tracker) : tracker);
    JdbcInstrumentation.install(instrumentation, JdbcHooks.class, config.debug, live);
    LeakWatcher.start(tracker, config.leakThresholdMillis);
    Telemetry.start(version, tracker, config);
  }
}
