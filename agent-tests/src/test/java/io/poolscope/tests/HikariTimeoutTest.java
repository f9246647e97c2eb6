package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.ERRORS;
import static io.poolscope.tests.support.PoolMetrics.ERROR_TYPE;
import static io.poolscope.tests.support.PoolMetrics.PENDING;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.TIMEOUTS;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.HikariTimeoutApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Real HikariCP timeouts: a pool of one held through three 250 ms attempts. */
class HikariTimeoutTest extends AgentTest {

  private static final String POOL = "timeout-pool";

  @Test
  void eachTimeoutIsCountedOnce() {
    ChildJvm child = run(app(HikariTimeoutApp.class).args(POOL));
    assertTrue(child.stdout().contains("DONE timeouts=3"), child::report);

    MetricQuery metrics = poolscopeMetrics(TIMEOUTS, q -> q.latestValue() == 3);
    assertPoolNames(metrics, Set.of(POOL));
    MetricQuery timeouts = metrics.metric(TIMEOUTS).where(POOL_NAME, POOL);
    assertEquals(3.0, timeouts.latestValue(), metrics::describe);
    assertEquals(Set.of("java.sql.SQLTransientConnectionException"),
        timeouts.attributeValues(ERROR_TYPE), metrics::describe);
    // a timeout is not also an "other" error
    assertEquals(0.0, metrics.metric(ERRORS).latestValue(), metrics::describe);

    // the holder's checkout plus three failed waits
    assertEquals(4, metrics.metric(WAIT_TIME).where(POOL_NAME, POOL).latestCount(),
        metrics::describe);
    assertEquals(1, metrics.metric(USE_TIME).where(POOL_NAME, POOL).latestCount(),
        metrics::describe);
    // the three failed waits took about 250 ms each
    double failedWaitSeconds =
        metrics.metric(WAIT_TIME).filter(p -> p.attribute(ERROR_TYPE) != null).latestSum();
    assertTrue(failedWaitSeconds >= 0.7 && failedWaitSeconds < 3.0,
        () -> "failed wait_time sum " + failedWaitSeconds + " s for 3 waits of 250 ms");
    // 750 ms of a thread blocked in getConnection, exports every 200 ms
    assertTrue(metrics.metric(PENDING).any(p -> p.value() > 0),
        () -> "pending_requests never above 0\n" + metrics.metric(PENDING).points());
    assertNoneUsed(metrics, POOL);
  }
}
