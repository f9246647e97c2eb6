package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.CREATE_TIME;
import static io.poolscope.tests.support.PoolMetrics.IDLE_MAX;
import static io.poolscope.tests.support.PoolMetrics.IDLE_MIN;
import static io.poolscope.tests.support.PoolMetrics.MAX;
import static io.poolscope.tests.support.PoolMetrics.PHYSICAL;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.ProcessConnections;
import io.poolscope.tests.support.ProcessConnections.Counts;
import org.junit.jupiter.api.Test;

/**
 * A pool poolscope knows nothing about (the test's own {@code HomeMadePool}: connections opened up
 * front with DriverManager, lent out behind a proxy). Its idle count cannot be read from it, so
 * poolscope derives it: idle = its open physical connections − its connections checked out, in
 * every export; here 4 − 3 = 1 while the app holds 3, and 4 once it gives them back.
 */
class HomeMadePoolTest extends LongRunningAppTest {

  private static final String POOL = "home-pool";
  private static final int SIZE = 4;
  private static final int HELD = 3;

  @Test
  void idleIsOpenPhysicalMinusUsed() {
    ProcessConnections process = startHolder("homemade", SIZE, HELD, "name=" + POOL);
    assertEquals(Counts.both(SIZE), process.await(SIZE, WARM_UP), process::describe);

    // opened in the pool's constructor, before its first checkout: attributed to it since
    MetricQuery held = process.awaitLastExport(
        q -> q.metric(PHYSICAL).where(POOL_NAME, POOL).sumValues() == SIZE, SETTLE);
    String context = process.describe() + "\n" + held.describe();
    assertEquals(ProcessConnections.physicalAttributes(POOL, true),
        held.metric(PHYSICAL).points().get(0).attributes(), context);
    assertEquals(1, held.metric(PHYSICAL).points().size(), context);
    assertEquals(HELD, held.metric(COUNT).where(STATE, "used").sumValues(), context);
    assertEquals(SIZE - HELD, held.metric(COUNT).where(STATE, "idle").sumValues(), context);
    assertEquals(SIZE, held.metric(CREATE_TIME).where(POOL_NAME, POOL).latestCount(), context);
    // nothing to read limits from: none are made up
    assertTrue(held.metric(MAX).isEmpty() && held.metric(IDLE_MAX).isEmpty()
        && held.metric(IDLE_MIN).isEmpty(), context);

    command("release");
    MetricQuery released = process.awaitLastExport(
        q -> q.metric(COUNT).where(STATE, "used").sumValues() == 0, SETTLE);
    assertEquals(0, released.metric(COUNT).where(STATE, "used").sumValues(), released::describe);
    assertEquals(SIZE, released.metric(COUNT).where(STATE, "idle").sumValues(), released::describe);
    assertEquals(Counts.both(SIZE), process.counts(), process::describe);

    // the rule holds in every export once the pool was known, not only at the two moments above
    for (MetricQuery export : process.exports()) {
      double open = export.metric(PHYSICAL).where(POOL_NAME, POOL).sumValues();
      double used = export.metric(COUNT).where(STATE, "used").sumValues();
      assertEquals(open - used, export.metric(COUNT).where(STATE, "idle").sumValues(),
          export::describe);
    }

    long closedAt = command("close");
    process.assertNextExportShows(closedAt, 0, SLACK);
    assertEquals(Counts.both(0), process.await(0, SETTLE), process::describe);
    exitApp();
  }
}
