package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertEveryPointHasPoolName;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolAssertions.assertShape;
import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.PENDING;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.DataPoint;
import io.poolscope.tests.support.DataPoint.Kind;
import io.poolscope.tests.support.MetricQuery;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** HikariCP under contention: 4 threads, 3 connections, 250 checkouts each holding 5 ms. */
class HikariWorkloadTest extends AgentTest {

  private static final int CHECKOUTS = 4 * 250;
  private static final int MAX = 3;

  private ChildJvm runWorkload(String... extraArgs) {
    return run(app(CheckoutWorkload.class)
        .args("pool=hikari", "threads=4", "checkouts=250", "holdMs=5", "max=" + MAX)
        .args((Object[]) extraArgs));
  }

  @Test
  void namedPoolReportsEveryCheckoutAndContention() {
    ChildJvm child = runWorkload("name=orders-pool");
    assertTrue(child.stdout().contains("DONE checkouts=" + CHECKOUTS), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME,
        q -> q.where(POOL_NAME, "orders-pool").latestCount() == CHECKOUTS);
    assertPoolNames(metrics, Set.of("orders-pool"));
    assertEveryPointHasPoolName(metrics);
    assertCheckouts(metrics, "orders-pool", CHECKOUTS);

    // 4 threads on 3 connections: someone was waiting whenever an export looked mid-run
    assertTrue(metrics.metric(PENDING).any(p -> p.value() > 0),
        () -> "pending_requests never above 0\n" + metrics.metric(PENDING).points());
    assertNoneUsed(metrics, "orders-pool");
    // HikariCP keeps minimumIdle (= max) connections; exports during the rest must show them idle
    MetricQuery idle = metrics.metric(COUNT).where(STATE, "idle");
    assertTrue(idle.any(p -> p.value() == MAX), () -> "idle never " + MAX + "\n" + idle.points());
    assertEquals(MAX, idle.maxValue(), () -> "idle above the pool size\n" + idle.points());

    // each hold sleeps 5 ms; far above that per checkout would mean wrong units or clocks
    double heldSeconds = metrics.metric(USE_TIME).latestSum();
    assertTrue(heldSeconds >= CHECKOUTS * 0.005 && heldSeconds <= CHECKOUTS * 0.025,
        () -> "use_time sum " + heldSeconds + " s for " + CHECKOUTS + " holds of 5 ms");
    double waitedSeconds = metrics.metric(WAIT_TIME).latestSum();
    assertTrue(waitedSeconds > 0 && waitedSeconds < 60,
        () -> "wait_time sum " + waitedSeconds + " s");
  }

  @Test
  void instrumentsHaveTheSemconvShape() {
    run(app(CheckoutWorkload.class).args("pool=hikari", "threads=2", "checkouts=50", "name=shape-pool"));
    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 100);
    assertShape(metrics, COUNT, Kind.SUM, false, "{connection}");
    assertShape(metrics, PENDING, Kind.SUM, false, "{request}");
    assertShape(metrics, WAIT_TIME, Kind.HISTOGRAM, false, "s");
    assertShape(metrics, USE_TIME, Kind.HISTOGRAM, false, "s");
    assertEquals(Set.of("idle", "used"), metrics.metric(COUNT).attributeValues(STATE));

    // the contract's names by default (old ones only on opt-in), nothing else under our scope
    assertTrue(metrics.metricNames().containsAll(Set.of(COUNT, PENDING, WAIT_TIME, USE_TIME)),
        () -> "metrics: " + metrics.metricNames());
    assertTrue(metrics.metricNames().stream().allMatch(
            name -> name.startsWith("db.client.connection.") || name.startsWith("poolscope.")),
        () -> "unexpected metric names: " + metrics.metricNames());
    Set<String> scopes = receiver.metrics().points().stream().map(DataPoint::scope)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(MetricQuery.POOLSCOPE_SCOPE), scopes,
        () -> "scopes other than the agent's reach the user's backend: " + scopes);
  }

  @Test
  void unnamedPoolIsReportedUnderHikarisDefaultName() {
    runWorkload();
    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == CHECKOUTS);
    assertPoolNames(metrics, Set.of("HikariPool-1"));
    assertCheckouts(metrics, "HikariPool-1", CHECKOUTS);
    assertNoneUsed(metrics, "HikariPool-1");
  }
}
