package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.OTHER_POOL;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.ManyPoolsApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.SharedPostgres;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** 30 DataSources with a cap of 5: five named, the rest folded into _OTHER, one warning. */
class ManyPoolsTest extends AgentTest {

  @Test
  void poolsBeyondTheCapAreFoldedIntoOther() {
    ChildJvm child = run(app(ManyPoolsApp.class).args(30).property("poolscope.pools.max", "5"));
    assertTrue(child.stdout().contains("DONE pools=30 checkouts=30"), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 30);
    // same URL for all: the first keeps the derived name, later distinct pools get #2, #3, ...
    String base = SharedPostgres.derivedPoolName();
    Set<String> named = Set.of(base, base + "#2", base + "#3", base + "#4", base + "#5");
    assertPoolNames(metrics, union(named, OTHER_POOL));
    for (String pool : named) {
      assertEquals(1, metrics.metric(USE_TIME).where(POOL_NAME, pool).latestCount(),
          () -> "checkouts of " + pool + "\n" + metrics.describe());
    }
    assertEquals(25, metrics.metric(USE_TIME).where(POOL_NAME, OTHER_POOL).latestCount(),
        metrics::describe);

    long capWarnings = child.stderrLines().stream()
        .filter(line -> line.contains("poolscope.pools.max")).count();
    assertEquals(1, capWarnings, child::report);
  }

  private static Set<String> union(Set<String> set, String extra) {
    java.util.Set<String> all = new java.util.TreeSet<>(set);
    all.add(extra);
    return all;
  }
}
