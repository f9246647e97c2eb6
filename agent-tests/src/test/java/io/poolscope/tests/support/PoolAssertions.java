package io.poolscope.tests.support;

import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

/** The checks a user makes on a pool after a known workload, with readable failure messages. */
public final class PoolAssertions {

  private PoolAssertions() {}

  /** Every checkout waited once and was held once: histogram counts over all series of the pool. */
  public static void assertCheckouts(MetricQuery poolscope, String pool, long expected) {
    MetricQuery ofPool = poolscope.where(POOL_NAME, pool);
    assertEquals(expected, ofPool.metric(USE_TIME).latestCount(),
        () -> USE_TIME + " count of pool " + pool + "\n" + poolscope.describe());
    assertEquals(expected, ofPool.metric(WAIT_TIME).latestCount(),
        () -> WAIT_TIME + " count of pool " + pool + "\n" + poolscope.describe());
  }

  /** Nothing borrowed once the work is done. */
  public static void assertNoneUsed(MetricQuery poolscope, String pool) {
    MetricQuery used = poolscope.metric(COUNT).where(POOL_NAME, pool).where(STATE, "used");
    assertFalse(used.isEmpty(), () -> "no used series for " + pool + "\n" + poolscope.describe());
    assertEquals(0.0, used.latestValue(), () -> "used connections of " + pool + " at the end\n"
        + poolscope.describe());
  }

  /**
   * Exactly these pools in the contract's per-pool metrics: nothing counted under a wrapper's or
   * an internal DataSource's name.
   */
  public static void assertPoolNames(MetricQuery poolscope, Set<String> expected) {
    MetricQuery perPool = perPool(poolscope);
    assertEquals(expected, perPool.attributeValues(POOL_NAME), perPool::describe);
  }

  /** The contract puts the pool name on every point of its per-pool metrics. */
  public static void assertEveryPointHasPoolName(MetricQuery poolscope) {
    MetricQuery perPool = perPool(poolscope);
    assertFalse(perPool.isEmpty(), "no per-pool data points at all");
    MetricQuery missing = perPool.filter(p -> p.attribute(POOL_NAME) == null);
    assertTrue(missing.isEmpty(), () -> "points without " + POOL_NAME + ":\n" + missing.describe());
  }

  private static MetricQuery perPool(MetricQuery poolscope) {
    return poolscope.filter(p -> PoolMetrics.PER_POOL.contains(p.metric()));
  }

  /** Instrument kind, monotonicity, temporality and unit, as a backend would see them. */
  public static void assertShape(MetricQuery poolscope, String metric, DataPoint.Kind kind,
      boolean monotonic, String unit) {
    MetricQuery points = poolscope.metric(metric);
    assertFalse(points.isEmpty(), () -> "no " + metric + "\n" + poolscope.describe());
    for (DataPoint point : points.latest()) {
      assertEquals(kind, point.kind(), () -> "kind of " + point);
      assertEquals(unit, point.unit(), () -> "unit of " + point);
      assertEquals(DataPoint.Temporality.CUMULATIVE, point.temporality(), () -> "temporality of " + point);
      if (kind == DataPoint.Kind.SUM) {
        assertEquals(monotonic, point.monotonic(), () -> "monotonicity of " + point);
      }
    }
  }
}
