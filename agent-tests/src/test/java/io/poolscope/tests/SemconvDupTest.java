package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.TIMEOUTS;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.HikariTimeoutApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.PoolMetrics.Old;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code otel.semconv-stability.opt-in=database/dup}: the pre-1.26 names too, in milliseconds,
 * for dashboards built on the OpenTelemetry Java agent's defaults. The timeout app is used so
 * that every old instrument, the timeout counter included, has something to report.
 */
class SemconvDupTest extends AgentTest {

  private static final String POOL = "dup-pool";

  @Test
  void oldNamesAreEmittedBesideTheNewOnes() {
    run(app(HikariTimeoutApp.class).args(POOL)
        .property("otel.semconv-stability.opt-in", "database/dup"));

    MetricQuery metrics = poolscopeMetrics(Old.TIMEOUTS, q -> q.latestValue() == 3);
    for (String old : new String[] {Old.USAGE, Old.PENDING, Old.TIMEOUTS, Old.WAIT_TIME,
        Old.USE_TIME}) {
      MetricQuery points = metrics.metric(old);
      assertFalse(points.isEmpty(), () -> old + " missing\n" + metrics.describe());
      assertEquals(Set.of(POOL), points.attributeValues(Old.POOL_NAME),
          () -> old + " must carry pool.name\n" + points.describe());
    }
    assertEquals(Set.of("idle", "used"), metrics.metric(Old.USAGE).attributeValues(Old.STATE),
        metrics::describe);
    assertEquals(3.0, metrics.metric(Old.TIMEOUTS).latestValue(), metrics::describe);
    assertEquals(3.0, metrics.metric(TIMEOUTS).latestValue(), metrics::describe);

    assertSameHistogramInMillis(metrics, Old.WAIT_TIME, WAIT_TIME);
    assertSameHistogramInMillis(metrics, Old.USE_TIME, USE_TIME);
  }

  /** Same recordings, so same count, and the sum ×1000 up to 1 ms of rounding per recording. */
  private static void assertSameHistogramInMillis(MetricQuery metrics, String old, String now) {
    MetricQuery oldPoints = metrics.metric(old);
    MetricQuery newPoints = metrics.metric(now).where(POOL_NAME, POOL);
    assertEquals(Set.of("ms"), oldPoints.units(), () -> old + " unit\n" + oldPoints.describe());
    assertEquals(Set.of("s"), newPoints.units(), () -> now + " unit\n" + newPoints.describe());
    long count = newPoints.latestCount();
    assertEquals(count, oldPoints.latestCount(), metrics::describe);
    double oldMillis = oldPoints.latestSum();
    double newMillis = newPoints.latestSum() * 1000;
    assertTrue(Math.abs(oldMillis - newMillis) <= count * 1.0 + 1e-6,
        () -> old + " sum " + oldMillis + " ms vs " + now + " sum " + newMillis / 1000 + " s");
  }
}
