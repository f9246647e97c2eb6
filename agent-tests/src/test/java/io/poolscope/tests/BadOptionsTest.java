package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.AppOutput.assertSameAsWithoutAgent;
import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.OTHER_POOL;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolscope.tests.apps.MixedWorkloadApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.SharedPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Malformed, unknown and absurd poolscope options, from each place a user sets them: exactly one
 * WARN line per bad option, naming it, the value given and the value used; nothing else from the
 * agent but its startup line; the app prints what it prints without the agent; metrics arrive, and
 * with the value the warning says is used ({@code pools.max=-5} → 1: the second pool is
 * {@code _OTHER}).
 */
@FaultMatrix
class BadOptionsTest extends AgentTest {

  /** InternalFaultTest's workload, so one cached baseline serves both when run in one JVM. */
  private static final String[] WORKLOAD =
      {"threads=4", "checkouts=50", "driverManager=5", "restMs=600"};
  private static final int POOL_CHECKOUTS = 4 * 50 + 1;
  private static final int DRIVER_MANAGER_CHECKOUTS = 5;
  private static final String WARN = "[poolscope] WARN ";

  /** The exact warning each bad option must give: the whole line after {@code WARN }. */
  private static final List<String[]> BAD_PROPERTIES = List.of(
      new String[] {"poolscope.pools.max", "-5",
          "option poolscope.pools.max=-5 is outside 1..1000; using 1"},
      new String[] {"poolscope.leak.threshold", "soon",
          "option poolscope.leak.threshold=soon is not a whole number; using 60000"},
      new String[] {"poolscope.spans", "sometimes",
          "option poolscope.spans=sometimes is not one of [off, slow, all]; using slow"},
      new String[] {"poolscope.pool.max", "3",
          "unknown option poolscope.pool.max is ignored; did you mean poolscope.pools.max?"},
      // a whole number, only too big for an int: clamped like -5 is, not called "not a number"
      new String[] {"poolscope.callsite.sample", "99999999999",
          "option poolscope.callsite.sample=99999999999 is outside 0..1000000; using 1000000"});

  private static final String POOLS_MAX_ABC =
      "option poolscope.pools.max=abc is not a whole number; using 20";

  @Test
  void severalBadSystemPropertiesWarnOnceEach() {
    ChildJvm.Builder builder = app(MixedWorkloadApp.class);
    BAD_PROPERTIES.forEach(bad -> builder.property(bad[0], bad[1]));
    ChildJvm child = runWorkload(builder);
    List<String> expected = new ArrayList<>(BAD_PROPERTIES.stream().map(bad -> bad[2]).toList());
    // not about an option: the documented one warning once a second pool exceeds pools.max=1
    expected.add("more than poolscope.pools.max=1 pools in this process;"
        + " further pools are reported together as pool _OTHER");
    assertWarnings(child, expected);

    // pools.max is 1 as warned: the pool first used keeps its name, DriverManager's is _OTHER
    MetricQuery metrics = poolscopeMetrics(USE_TIME,
        q -> q.latestCount() == POOL_CHECKOUTS + DRIVER_MANAGER_CHECKOUTS);
    assertPoolNames(metrics, Set.of(MixedWorkloadApp.POOL, OTHER_POOL));
    assertCheckouts(metrics, MixedWorkloadApp.POOL, POOL_CHECKOUTS);
    assertCheckouts(metrics, OTHER_POOL, DRIVER_MANAGER_CHECKOUTS);
  }

  @Test
  void badAgentArgumentWarnsOnce() {
    ChildJvm child = runWorkload(app(MixedWorkloadApp.class).agentArgs("pools.max=abc"));
    assertWarnings(child, List.of(POOLS_MAX_ABC));
    assertAllPoolsTracked();
  }

  @Test
  void badEnvironmentVariableWarnsOnce() {
    ChildJvm child = runWorkload(app(MixedWorkloadApp.class).env("POOLSCOPE_POOLS_MAX", "abc"));
    assertWarnings(child, List.of(POOLS_MAX_ABC));
    assertAllPoolsTracked();
  }

  private ChildJvm runWorkload(ChildJvm.Builder builder) {
    ChildJvm child = run(builder.args((Object[]) WORKLOAD));
    assertAgentStarted(child);
    assertSameAsWithoutAgent(baselineWithoutAgent(MixedWorkloadApp.class, WORKLOAD), child);
    return child;
  }

  /** Exactly these WARN lines, in any order, and no other agent line than the startup one. */
  private static void assertWarnings(ChildJvm child, List<String> expected) {
    List<String> warnings = child.stderrLines().stream()
        .filter(line -> line.startsWith(WARN))
        .map(line -> line.substring(WARN.length()))
        .sorted()
        .toList();
    assertEquals(expected.stream().sorted().toList(), warnings, child::report);
    long otherAgentLines = child.stderrLines().stream()
        .filter(line -> line.startsWith("[poolscope] ") && !line.startsWith(WARN))
        .count();
    assertEquals(1, otherAgentLines, () -> "agent lines besides the warnings\n" + child.report());
  }

  /** The default pools.max of 20 was used: both pools under their own names, counts exact. */
  private void assertAllPoolsTracked() {
    String unpooled = SharedPostgres.derivedPoolName();
    MetricQuery metrics = poolscopeMetrics(USE_TIME,
        q -> q.latestCount() == POOL_CHECKOUTS + DRIVER_MANAGER_CHECKOUTS);
    assertPoolNames(metrics, Set.of(MixedWorkloadApp.POOL, unpooled));
    assertCheckouts(metrics, MixedWorkloadApp.POOL, POOL_CHECKOUTS);
    assertCheckouts(metrics, unpooled, DRIVER_MANAGER_CHECKOUTS);
  }
}
