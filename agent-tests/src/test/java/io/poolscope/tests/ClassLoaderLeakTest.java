package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.ClassLoaderLeakApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import org.junit.jupiter.api.Test;

/**
 * A webapp-like class loader with HikariCP and pgjdbc is garbage-collected once the app drops it,
 * with the agent as without: poolscope keeps no class, instance or thread of it alive. The pool's
 * figures still arrive, since only names and counts outlive the loader.
 */
@FaultMatrix
class ClassLoaderLeakTest extends AgentTest {

  private static final String[] ARGS = {"checkouts=40", "waitMs=8000"};
  private static final String DONE = "DONE checkouts=40 loaderCollected=true";

  @Test
  void aDroppedWebappLoaderIsCollected() {
    ChildJvm baseline = baselineWithoutAgent(ClassLoaderLeakApp.class, ARGS);
    assertTrue(baseline.stdout().contains(DONE),
        () -> "the loader must be collectable without the agent\n" + baseline.report());

    ChildJvm child = run(app(ClassLoaderLeakApp.class).args((Object[]) ARGS));
    assertAgentStarted(child);
    assertTrue(child.stdout().contains(DONE),
        () -> "the loader was not collected with the agent attached\n" + child.report());
    // stdout only: the webapp's own slf4j-simple logs identity hash codes on stderr
    assertEquals(baseline.stdout(), child.stdout(), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 40);
    assertCheckouts(metrics, "webapp-pool", 40);
    assertNoneUsed(metrics, "webapp-pool");
  }
}
