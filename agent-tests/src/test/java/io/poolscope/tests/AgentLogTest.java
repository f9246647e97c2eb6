package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the agent writes to stderr: one INFO line when all is well, one WARN per bad option. */
class AgentLogTest extends AgentTest {

  private static final String PREFIX = "[poolscope]";

  private ChildJvm runSmallWorkload(ChildJvm.Builder builder) {
    return run(builder.args("pool=hikari", "threads=1", "checkouts=20", "holdMs=0",
        "name=log-pool"));
  }

  private static List<String> agentLines(ChildJvm child) {
    return child.stderrLines().stream().filter(line -> line.contains(PREFIX)).toList();
  }

  @Test
  void cleanStartLogsOneInfoLineAndNothingElse() {
    ChildJvm child = runSmallWorkload(app(CheckoutWorkload.class));
    List<String> lines = agentLines(child);
    assertEquals(1, lines.stream().filter(line -> line.startsWith(PREFIX + " INFO")).count(),
        child::report);
    assertEquals(1, lines.size(), () -> "unexpected agent lines\n" + child.report());
  }

  @Test
  void badOptionValueWarnsOnceAndFallsBackToTheDefault() {
    ChildJvm child =
        runSmallWorkload(app(CheckoutWorkload.class).property("poolscope.pools.max", "abc"));

    List<String> warnings = agentLines(child).stream()
        .filter(line -> line.contains("WARN") && line.contains("poolscope.pools.max"))
        .toList();
    assertEquals(1, warnings.size(), child::report);
    String warning = warnings.get(0);
    assertTrue(warning.startsWith(PREFIX), warning);
    assertTrue(warning.contains("abc"), () -> "warning does not name the bad value: " + warning);
    assertTrue(warning.contains("20"), () -> "warning does not name the value used: " + warning);
    assertEquals(1, child.stderrLines().stream().filter(l -> l.contains("poolscope.pools.max")).count(),
        child::report);

    // the app is not hurt and the agent still works
    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 20);
    assertCheckouts(metrics, "log-pool", 20);
  }
}
