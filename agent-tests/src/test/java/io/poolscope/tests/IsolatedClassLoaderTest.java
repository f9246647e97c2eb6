package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.IsolatedLoaderApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** HikariCP in a class loader that cannot see the app loader (app servers, plugins). */
class IsolatedClassLoaderTest extends AgentTest {

  @Test
  void hooksWorkInsideAnIsolatedLoader() {
    ChildJvm child = run(app(IsolatedLoaderApp.class));
    assertTrue(child.stdout().contains("DONE checkouts=20 loader=isolated"), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 20);
    assertPoolNames(metrics, Set.of("isolated-hikari"));
    assertCheckouts(metrics, "isolated-hikari", 20);
    assertNoneUsed(metrics, "isolated-hikari");
  }
}
