package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.AppOutput.assertSameAsWithoutAgent;
import static io.poolscope.tests.support.PoolAssertions.assertEveryPointHasPoolName;
import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.ERRORS;
import static io.poolscope.tests.support.PoolMetrics.ERROR_TYPE;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static io.poolscope.tests.support.PoolMetrics.TIMEOUTS;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.ThrowingDataSourceApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * getConnection throwing every 3rd call and close() always throwing: the app sees exactly the same
 * exceptions, in the same order, with the agent as without; poolscope counts the failed gets by
 * error.type, and a close that throws still ends the checkout. The connections are JDK proxies,
 * defined in the app's loader or, as code passing {@code Connection.class.getClassLoader()} has
 * them, in the platform loader: their close() must be seen either way.
 */
@FaultMatrix
class ThrowingDataSourceTest extends AgentTest {

  private static final int ATTEMPTS = 12;
  private static final int FAILED_GETS = ATTEMPTS / 3;
  private static final int CHECKOUTS = ATTEMPTS - FAILED_GETS;

  @ParameterizedTest(name = "connection proxies in the {0} class loader")
  @ValueSource(strings = {"app", "platform"})
  void theAppSeesTheSameExceptionsAndPoolscopeCountsThem(String proxyLoader) {
    ChildJvm baseline =
        run(appWithoutAgent(ThrowingDataSourceApp.class).args(ATTEMPTS, proxyLoader));
    assertTrue(baseline.stdout().contains("DONE attempts=" + ATTEMPTS + " failedGets="
        + FAILED_GETS + " failedCloses=" + CHECKOUTS), baseline::report);
    ChildJvm child = run(app(ThrowingDataSourceApp.class).args(ATTEMPTS, proxyLoader));
    assertAgentStarted(child);
    assertSameAsWithoutAgent(baseline, child);

    MetricQuery metrics = poolscopeMetrics(WAIT_TIME, q -> q.latestCount() == ATTEMPTS);
    assertEveryPointHasPoolName(metrics);
    assertEquals(FAILED_GETS, metrics.metric(ERRORS).latestValue(), metrics::describe);
    assertEquals(Set.of("java.sql.SQLException"), metrics.metric(ERRORS).attributeValues(ERROR_TYPE),
        metrics::describe);
    assertEquals(0.0, metrics.metric(TIMEOUTS).latestValue(), metrics::describe);
    assertEquals(ATTEMPTS, metrics.metric(WAIT_TIME).latestCount(), metrics::describe);
    assertEquals(FAILED_GETS,
        metrics.metric(WAIT_TIME).filter(p -> p.attribute(ERROR_TYPE) != null).latestCount(),
        metrics::describe);
    // close() threw after closing: the connection is back all the same
    assertEquals(CHECKOUTS, metrics.metric(USE_TIME).latestCount(), metrics::describe);
    assertEquals(0.0, metrics.metric(COUNT).where(STATE, "used").latestValue(), metrics::describe);
  }
}
