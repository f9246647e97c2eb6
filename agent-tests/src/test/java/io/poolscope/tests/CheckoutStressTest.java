package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.ERRORS;
import static io.poolscope.tests.support.PoolMetrics.PENDING;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.TIMEOUTS;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutStressApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * 64 threads on a HikariCP pool of 8 with random holds, double closes and closes on another thread:
 * every checkout waited once and was held once, nothing is left in use.
 *
 * <p>Scale: {@value #DEFAULT_CHECKOUTS} checkouts per thread by default, so the class stays well
 * under a minute on a shared 2-core machine. The full size (64 x 100k) runs with
 * {@code mvn -f agent-tests/pom.xml test -Dtest=CheckoutStressTest -Dstress.checkouts=100000}
 * (the child's 60 s limit then needs {@code -Dstress.timeout.seconds=...} too, and the test JVM's
 * 900 s limit {@code -Dsurefire.timeout=...}).
 */
@FaultMatrix
class CheckoutStressTest extends AgentTest {

  private static final int THREADS = 64;
  private static final int DEFAULT_CHECKOUTS = 2000;
  private static final String POOL = CheckoutStressApp.POOL;

  @Test
  void countsAreExactAfterAStorm() {
    int perThread = Integer.getInteger("stress.checkouts", DEFAULT_CHECKOUTS);
    long total = (long) THREADS * perThread;
    ChildJvm child = start(app(CheckoutStressApp.class)
        .args("threads=" + THREADS, "checkouts=" + perThread, "max=8"));
    int exitCode = child.awaitExit(
        Duration.ofSeconds(Integer.getInteger("stress.timeout.seconds", 60)));
    assertEquals(0, exitCode, child::report);
    assertTrue(child.stdout().contains("DONE checkouts=" + total + " "), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == total);
    assertPoolNames(metrics, Set.of(POOL));
    assertCheckouts(metrics, POOL, total);
    assertNoneUsed(metrics, POOL);
    MetricQuery ofPool = metrics.where(POOL_NAME, POOL);
    assertEquals(0.0, ofPool.metric(PENDING).latestValue(), metrics::describe);
    assertEquals(0.0, ofPool.metric(TIMEOUTS).latestValue(), metrics::describe);
    assertEquals(0.0, ofPool.metric(ERRORS).latestValue(), metrics::describe);
  }
}
