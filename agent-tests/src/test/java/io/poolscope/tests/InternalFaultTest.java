package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.AppOutput.assertSameAsWithoutAgent;
import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.MixedWorkloadApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.SharedPostgres;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With {@code poolscope.test.fault=true} every hook throws after tracking: a HikariCP workload
 * (threads, double closes, a rejected statement) and DriverManager connections (one refused) print
 * exactly what they print without the agent, and the figures are still right, because the fault
 * comes after the tracking.
 */
@FaultMatrix
class InternalFaultTest extends AgentTest {

  private static final String[] WORKLOAD =
      {"threads=4", "checkouts=50", "driverManager=5", "restMs=600"};
  /** 4 threads x 50, plus the checkout whose statement the server rejects. */
  private static final int POOL_CHECKOUTS = 4 * 50 + 1;
  private static final int DRIVER_MANAGER_CHECKOUTS = 5;

  @Test
  void aFaultInsidePoolscopeNeverReachesTheApp() {
    ChildJvm child = run(app(MixedWorkloadApp.class).args((Object[]) WORKLOAD)
        .property("poolscope.test.fault", "true"));
    assertAgentStarted(child);
    assertTrue(child.stdout().contains("DONE"), child::report);
    assertSameAsWithoutAgent(baselineWithoutAgent(MixedWorkloadApp.class, WORKLOAD), child);

    String unpooled = SharedPostgres.derivedPoolName();
    MetricQuery metrics = poolscopeMetrics(USE_TIME,
        q -> q.latestCount() == POOL_CHECKOUTS + DRIVER_MANAGER_CHECKOUTS);
    assertPoolNames(metrics, Set.of(MixedWorkloadApp.POOL, unpooled));
    assertCheckouts(metrics, MixedWorkloadApp.POOL, POOL_CHECKOUTS);
    assertCheckouts(metrics, unpooled, DRIVER_MANAGER_CHECKOUTS);
    assertNoneUsed(metrics, MixedWorkloadApp.POOL);
    assertNoneUsed(metrics, unpooled);
  }
}
