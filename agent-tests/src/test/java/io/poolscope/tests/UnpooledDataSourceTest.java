package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.SharedPostgres;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** pgjdbc's PGSimpleDataSource: a "null pool", one physical connection per checkout. */
class UnpooledDataSourceTest extends AgentTest {

  @Test
  void everyCheckoutCountsAndNothingIsIdle() {
    ChildJvm child = run(app(CheckoutWorkload.class)
        .args("pool=pgsimple", "threads=1", "checkouts=50", "holdMs=0"));
    assertTrue(child.stdout().contains("DONE checkouts=50"), child::report);

    String pool = SharedPostgres.derivedPoolName();
    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 50);
    assertPoolNames(metrics, Set.of(pool));
    assertCheckouts(metrics, pool, 50);
    assertNoneUsed(metrics, pool);
    // an unpooled DataSource keeps nothing idle: its idle count (open physical minus used) is 0
    MetricQuery idle = metrics.metric(COUNT).where(STATE, "idle");
    assertEquals(0.0, idle.latestValue(), () -> "idle of an unpooled DataSource\n" + idle.points());
  }
}
