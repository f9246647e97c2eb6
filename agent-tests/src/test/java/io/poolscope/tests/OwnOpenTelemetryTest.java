package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.OwnOtelApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An app with its own OpenTelemetry SDK: the agent's relocated copy lives beside it. */
class OwnOpenTelemetryTest extends AgentTest {

  @Test
  void appMetricsAndPoolMetricsBothArrive() {
    ChildJvm child = run(app(OwnOtelApp.class).args(receiver.endpoint()));
    assertTrue(child.stdout().contains("DONE requests=10 checkouts=50"), child::report);

    MetricQuery all = receiver.awaitMetric("app.requests", q -> q.latestValue() == 10,
        EXPORT_GRACE);
    MetricQuery requests = all.metric("app.requests");
    assertEquals(10.0, requests.latestValue(), all::describe);
    assertEquals(Set.of("app-own-otel"),
        Set.copyOf(requests.resources().stream().map(r -> r.get("service.name")).toList()),
        all::describe);

    MetricQuery poolscope = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 50);
    assertPoolNames(poolscope, Set.of("own-otel-pool"));
    assertCheckouts(poolscope, "own-otel-pool", 50);
    // each keeps its own identity: the agent does not adopt the app's resource, nor the reverse
    assertFalse(poolscope.resources().stream()
            .anyMatch(r -> "app-own-otel".equals(r.get("service.name"))),
        () -> "poolscope reported under the app's resource: " + poolscope.resources());
    assertTrue(all.metric("app.requests").poolscope().isEmpty(), all::describe);
  }
}
