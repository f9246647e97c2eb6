package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.ABANDONED;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CloseSemanticsApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Double close and close on another thread: one hold per checkout, nothing left in use. */
class CloseSemanticsTest extends AgentTest {

  @Test
  void everyCheckoutEndsExactlyOnce() {
    ChildJvm child = run(app(CloseSemanticsApp.class));
    assertTrue(child.stdout().contains("DONE checkouts=200"), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 200);
    assertPoolNames(metrics, Set.of("close-pool"));
    assertCheckouts(metrics, "close-pool", 200);
    assertNoneUsed(metrics, "close-pool");
    // every connection was closed, just not always by its borrower
    assertEquals(0.0, metrics.metric(ABANDONED).latestValue(), metrics::describe);
  }
}
