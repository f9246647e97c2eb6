package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.CREATE_TIME;
import static io.poolscope.tests.support.PoolMetrics.PHYSICAL;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolscope.tests.support.DataPoint;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.ProcessConnections;
import io.poolscope.tests.support.ProcessConnections.Counts;
import io.poolscope.tests.support.SharedPostgres;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A HikariCP pool's physical connections through their whole life: replaced (eviction), the pool
 * closed, and closed while the app still holds one. The exported count follows the server each time.
 */
class HikariLifecycleTest extends LongRunningAppTest {

  /**
   * HikariCP retiring every connection (as maxLifetime does, whose minimum is 30 s; soft eviction
   * takes the same path at once): 5 physical closes and 5 new opens, so both sides stay at 5 with
   * all-new server backends, and create_time counts 10 opens.
   */
  @Test
  void countsConvergeAfterHikariReplacesItsConnections() {
    ProcessConnections process = startHolder("hikari", 5, 0, "name=evict-pool");
    assertEquals(Counts.both(5), process.await(5, WARM_UP), process::describe);
    MetricQuery before = process.awaitLastExport(
        q -> q.metric(CREATE_TIME).where(POOL_NAME, "evict-pool").latestCount() == 5, SETTLE);
    assertEquals(5, before.metric(CREATE_TIME).latestCount(), before::describe);
    Set<Long> oldBackends = SharedPostgres.backendPids(process.applicationName());

    command("evict");
    MetricQuery after = process.awaitLastExport(
        q -> q.metric(CREATE_TIME).where(POOL_NAME, "evict-pool").latestCount() == 10
            && q.metric(PHYSICAL).where(POOL_NAME, "evict-pool").sumValues() == 5, SETTLE);
    String context = process.describe() + "\n" + after.describe();
    assertEquals(10, after.metric(CREATE_TIME).where(POOL_NAME, "evict-pool").latestCount(), context);
    assertEquals(5, after.metric(PHYSICAL).sumValues(), context);
    assertEquals(Counts.both(5), process.await(5, SETTLE), process::describe);
    Set<Long> shared = new TreeSet<>(SharedPostgres.backendPids(process.applicationName()));
    shared.retainAll(oldBackends);
    assertEquals(Set.of(), shared, "server backends that survived the eviction");
    assertEquals(5, after.where(POOL_NAME, "evict-pool").metric(COUNT).where(STATE, "idle").sumValues(),
        context);

    exitApp();
  }

  /**
   * A closed pool's series goes to 0 rather than silently out of the export: a backend keeps the
   * last value of a series that stops (Prometheus for 5 minutes), so a dropped series would go on
   * showing 3 connections the server no longer has.
   */
  @Test
  void closedPoolsSeriesReportsZero() {
    ProcessConnections process = startHolder("hikari", 3, 0, "name=zero-pool");
    assertEquals(Counts.both(3), process.await(3, WARM_UP), process::describe);
    process.awaitLastExport(q -> q.metric(PHYSICAL).where(POOL_NAME, "zero-pool").sumValues() == 3,
        SETTLE);

    long closedAt = command("close");
    MetricQuery next = process.assertNextExportShows(closedAt, 0, SLACK);
    List<DataPoint> series = next.metric(PHYSICAL).where(POOL_NAME, "zero-pool").points();
    assertEquals(1, series.size(), () -> "the pool's physical series is gone\n" + next.describe());
    assertEquals(0.0, series.get(0).value(), next::describe);
    exitApp();
  }

  /**
   * Closing HikariCP while the app still holds a connection: the pool aborts it
   * ({@code Connection.abort}, not close), and the server drops it. poolscope must count it closed.
   */
  @Test
  void connectionAbortedByPoolShutdownIsClosed() {
    ProcessConnections process = startHolder("hikari", 3, 1, "name=abort-pool");
    assertEquals(Counts.both(3), process.await(3, WARM_UP), process::describe);

    long closedAt = command("close");
    assertEquals(0, process.awaitOnServer(0, SETTLE), process::describe);
    process.assertNextExportShows(closedAt, 0, SLACK);
    exitApp();
  }
}
