package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.CREATE_TIME;
import static io.poolscope.tests.support.PoolMetrics.IDLE_MAX;
import static io.poolscope.tests.support.PoolMetrics.IDLE_MIN;
import static io.poolscope.tests.support.PoolMetrics.MAX;
import static io.poolscope.tests.support.PoolMetrics.PHYSICAL;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.support.DataPoint;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.ProcessConnections;
import io.poolscope.tests.support.ProcessConnections.Counts;
import io.poolscope.tests.support.SharedPostgres;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exported physical connections equal what PostgreSQL shows for the process, whatever holds them:
 * each pool poolscope knows, a driver's DataSource used without a pool, and DriverManager. Closing
 * them brings both sides to 0 at the next export.
 */
class PoolAgreementTest extends LongRunningAppTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // source, open, held, pooled, limits the pool exposes: max idle.max idle.min (- = none)
      "dbcp2,         3, 1, true,  3 3 3",
      "c3p0,          3, 1, true,  3 - 3",
      "tomcat,        3, 1, true,  3 3 3",
      "pgsimple,      2, 2, false, - - -",
      "drivermanager, 2, 2, false, - - -"})
  void exportedCountMatchesTheServer(
      String source, int open, int held, boolean pooled, String limits) {
    ProcessConnections process = startHolder(source, open, held);
    assertEquals(Counts.both(open), process.await(open, WARM_UP), process::describe);

    // every one attributed: to the pool (no pool name of its own, so host:port/db), or unpooled
    String pool = SharedPostgres.derivedPoolName();
    // a pool counts a new connection idle a moment after the driver opened it
    MetricQuery last = process.awaitLastExport(
        q -> q.metric(PHYSICAL).where(POOL_NAME, pool).sumValues() == open
            && q.metric(COUNT).where(STATE, "idle").sumValues() == open - held, SETTLE);
    String context = process.describe() + "\n" + last.describe();
    List<DataPoint> physical = last.metric(PHYSICAL).points();
    assertEquals(1, physical.size(), context);
    assertEquals(ProcessConnections.physicalAttributes(pool, pooled), physical.get(0).attributes(),
        context);

    MetricQuery ofPool = last.where(POOL_NAME, pool);
    assertEquals(held, ofPool.metric(COUNT).where(STATE, "used").sumValues(), context);
    assertEquals(open - held, ofPool.metric(COUNT).where(STATE, "idle").sumValues(), context);
    // unpooled: the warm-up connection and the held ones; a pool may also have opened one to
    // validate its settings (dbcp2, c3p0), so at least those it keeps
    long created = ofPool.metric(CREATE_TIME).latestCount();
    if (pooled) {
      assertTrue(created >= open, () -> "create_time count " + created + "\n" + context);
    } else {
      assertEquals(held + 1, created, context);
    }
    String[] limit = limits.split(" ");
    assertLimit(ofPool, MAX, limit[0], context);
    assertLimit(ofPool, IDLE_MAX, limit[1], context);
    assertLimit(ofPool, IDLE_MIN, limit[2], context);

    command("release");
    long closedAt = command("close");
    // c3p0 closes its idle connections on its own threads after close() returns
    process.assertExportWithinIntervalShows(closedAt, 0, SLACK);
    assertEquals(Counts.both(0), process.await(0, SETTLE), process::describe);
    exitApp();
  }

  private static void assertLimit(MetricQuery ofPool, String metric, String expected, String context) {
    MetricQuery points = ofPool.metric(metric);
    if (expected.equals("-")) {
      assertTrue(points.isEmpty(), () -> metric + " of a pool that has none\n" + context);
    } else {
      assertEquals(Double.parseDouble(expected), points.sumValues(), () -> metric + "\n" + context);
    }
  }
}
