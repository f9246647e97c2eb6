package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry Java agent and poolscope in one JVM, both exporting to the same collector: the
 * app works as without agents, the OpenTelemetry agent's own traces and HikariCP metrics still come
 * out, and poolscope's figures are exact. Its jar comes from {@code -Dotel.javaagent.jar}; without
 * it the test is skipped.
 */
@FaultMatrix
class OtelJavaAgentCoexistenceTest extends AgentTest {

  private static final String POOL = "coexist-pool";
  /** The OpenTelemetry agent's HikariCP instrumentation scope and its (old-convention) metric. */
  private static final String OTEL_HIKARI_SCOPE = "io.opentelemetry.hikaricp-3.0";
  private static final String OTEL_HIKARI_USAGE = "db.client.connections.usage";
  private static final String[] WORKLOAD =
      {"pool=hikari", "threads=2", "checkouts=50", "max=2", "name=" + POOL, "restMs=1000"};

  @Test
  void bothAgentsReportAndTheAppIsUnchanged() {
    Optional<Path> otelAgent = Optional.ofNullable(System.getProperty("otel.javaagent.jar"))
        .filter(p -> !p.isBlank()).map(Paths::get).filter(Files::isRegularFile);
    Assumptions.assumeTrue(otelAgent.isPresent(), "no -Dotel.javaagent.jar (the OpenTelemetry"
        + " Java agent jar): skipping the coexistence test");

    ChildJvm baseline = baselineWithoutAgent(CheckoutWorkload.class, WORKLOAD);
    ChildJvm child = run(app(CheckoutWorkload.class).args((Object[]) WORKLOAD)
        // before poolscope's -javaagent, as users usually list it
        .jvmOption("-javaagent:" + otelAgent.get())
        .property("otel.service.name", "coexist")
        .property("otel.logs.exporter", "none")
        // checkout spans off: every trace that arrives is the OpenTelemetry agent's
        .property("poolscope.spans", "off"));
    assertAgentStarted(child);
    assertEquals(baseline.stdout(), child.stdout(), child::report);
    assertTrue(child.stdout().contains("DONE checkouts=100"), child::report);

    MetricQuery poolscope = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 100);
    assertCheckouts(poolscope, POOL, 100);
    assertNoneUsed(poolscope, POOL);

    MetricQuery otel = receiver.awaitMetric(OTEL_HIKARI_USAGE,
        q -> !q.scope(OTEL_HIKARI_SCOPE).isEmpty(), EXPORT_GRACE).scope(OTEL_HIKARI_SCOPE);
    assertFalse(otel.metric(OTEL_HIKARI_USAGE).where("pool.name", POOL).isEmpty(),
        () -> "the OpenTelemetry agent's HikariCP metrics are missing\n"
            + receiver.metrics().describe());
    assertTrue(receiver.otherRequests().stream().anyMatch(r -> r.startsWith("/v1/traces")),
        () -> "no traces from the OpenTelemetry agent; other requests: "
            + receiver.otherRequests());
  }
}
