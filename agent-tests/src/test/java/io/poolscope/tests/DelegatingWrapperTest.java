package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.DelegatingWrapperApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A DataSource delegating to HikariCP: one checkout counts once, under the real pool. */
class DelegatingWrapperTest extends AgentTest {

  @Test
  void nestedGetConnectionCountsOnceUnderTheInnerPool() {
    ChildJvm child = run(app(DelegatingWrapperApp.class));
    assertTrue(child.stdout().contains("DONE checkouts=200"), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 200);
    assertPoolNames(metrics, Set.of("inner-hikari"));
    assertCheckouts(metrics, "inner-hikari", 200);
    assertNoneUsed(metrics, "inner-hikari");
  }
}
