package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertEveryPointHasPoolName;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.SharedPostgres;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pools without a name of their own: reported as host:port/db, idle count included. */
class OtherPoolsTest extends AgentTest {

  private static final int CHECKOUTS = 2 * 100;
  private static final int MAX = 3;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dbcp2", "c3p0", "tomcat"})
  void poolIsReportedUnderItsDerivedName(String kind) {
    // the idle count is only seen in an export between the work's end and the pool's close: the
    // rest outlasts the SDK's start, which its first checkout begins, seconds on a loaded CI machine
    ChildJvm child = run(app(CheckoutWorkload.class).args("pool=" + kind, "threads=2",
        "checkouts=100", "holdMs=2", "max=" + MAX, "restMs=2500"));
    assertTrue(child.stdout().contains("DONE checkouts=" + CHECKOUTS), child::report);

    String pool = SharedPostgres.derivedPoolName();
    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == CHECKOUTS);
    assertPoolNames(metrics, Set.of(pool));
    assertEveryPointHasPoolName(metrics);
    assertCheckouts(metrics, pool, CHECKOUTS);
    assertNoneUsed(metrics, pool);
    // how many stay idle is the pool's business; that they are reported, and within max, is ours
    MetricQuery idle = metrics.metric(COUNT).where(STATE, "idle");
    assertTrue(idle.any(p -> p.value() >= 1 && p.value() <= MAX),
        () -> kind + ": no idle count between 1 and " + MAX + "\n" + idle.points());
    assertTrue(idle.maxValue() <= MAX, () -> kind + ": idle above max\n" + idle.points());
  }
}
