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

import io.poolscope.tests.apps.ExhaustionStormApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 200 threads on a HikariCP pool of 5 with a 250 ms timeout: poolscope counts exactly the timeouts
 * the app itself caught, and every thread has left the pool when the storm is over.
 */
@FaultMatrix
class ExhaustionStormTest extends AgentTest {

  private static final Pattern DONE =
      Pattern.compile("DONE attempts=(\\d+) timeouts=(\\d+) checkouts=(\\d+)");
  private static final String POOL = ExhaustionStormApp.POOL;

  @Test
  void everyTimeoutTheAppSawIsCountedOnce() {
    ChildJvm baseline = run(appWithoutAgent(ExhaustionStormApp.class));
    int[] without = done(baseline);
    assertEquals(200, without[0], baseline::report);
    assertTrue(without[1] > 0, () -> "the storm caused no timeout without the agent\n"
        + baseline.report());

    ChildJvm child = run(app(ExhaustionStormApp.class));
    int[] with = done(child);
    // the app's own view: every attempt ended in a checkout or a timeout, nothing else
    assertEquals(200, with[0], child::report);
    assertEquals(200, with[1] + with[2], child::report);
    assertTrue(with[1] > 0, () -> "no timeout with the agent\n" + child.report());
    int timeouts = with[1];
    int checkouts = with[2] + 1; // the warm-up checkout before the storm

    MetricQuery metrics = poolscopeMetrics(TIMEOUTS, q -> q.latestValue() == timeouts);
    assertPoolNames(metrics, Set.of(POOL));
    MetricQuery ofPool = metrics.where(POOL_NAME, POOL);
    assertEquals(timeouts, ofPool.metric(TIMEOUTS).latestValue(), metrics::describe);
    assertEquals(Set.of("java.sql.SQLTransientConnectionException"),
        ofPool.metric(TIMEOUTS).attributeValues(ERROR_TYPE), metrics::describe);
    assertEquals(0.0, ofPool.metric(ERRORS).latestValue(), metrics::describe);
    assertEquals(timeouts + checkouts, ofPool.metric(WAIT_TIME).latestCount(), metrics::describe);
    assertEquals(checkouts, ofPool.metric(USE_TIME).latestCount(), metrics::describe);
    assertNoneUsed(metrics, POOL);
    assertEquals(0.0, ofPool.metric(PENDING).latestValue(), metrics::describe);
  }

  /** attempts, timeouts, checkouts as the app printed them. */
  private static int[] done(ChildJvm child) {
    Matcher m = DONE.matcher(child.stdout());
    assertTrue(m.find(), child::report);
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3))};
  }
}
