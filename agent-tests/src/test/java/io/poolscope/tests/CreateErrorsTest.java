package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertShape;
import static io.poolscope.tests.support.PoolMetrics.CREATE_ERRORS;
import static io.poolscope.tests.support.PoolMetrics.DB_NAMESPACE;
import static io.poolscope.tests.support.PoolMetrics.DB_SYSTEM;
import static io.poolscope.tests.support.PoolMetrics.ERRORS;
import static io.poolscope.tests.support.PoolMetrics.ERROR_TYPE;
import static io.poolscope.tests.support.PoolMetrics.PHYSICAL;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.SERVER_ADDRESS;
import static io.poolscope.tests.support.PoolMetrics.SERVER_LIMIT;
import static io.poolscope.tests.support.PoolMetrics.SERVER_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.ConnectFailureApp;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.ClosedPort;
import io.poolscope.tests.support.DataPoint;
import io.poolscope.tests.support.DataPoint.Kind;
import io.poolscope.tests.support.MetricQuery;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Physical opens that fail (nothing listens on the port) are counted by server and error type,
 * whether the app asked DriverManager or a DataSource; nothing is reported open.
 */
class CreateErrorsTest extends LongRunningAppTest {

  private static final String PSQL_EXCEPTION = "org.postgresql.util.PSQLException";

  @Test
  void failedOpensAreCountedByServerAndErrorType() {
    int port = ClosedPort.find();
    String url = "jdbc:postgresql://localhost:" + port + "/postgres";
    startApp(ChildJvm.withAgent(receiver).main(ConnectFailureApp.class)
        .args(url, 3, 2, control.dir()));
    child.awaitStdoutLine("READY", WARM_UP);
    assertTrue(child.stdout().contains("DONE failures=5"), child::report);

    MetricQuery metrics =
        receiver.awaitMetric(CREATE_ERRORS, q -> q.poolscope().latestValue() == 5, SETTLE).poolscope();
    assertShape(metrics, CREATE_ERRORS, Kind.SUM, true, "{error}");
    List<DataPoint> errors = metrics.metric(CREATE_ERRORS).latest();
    assertEquals(1, errors.size(), metrics::describe);
    assertEquals(Map.of(DB_SYSTEM, "postgresql", SERVER_ADDRESS, "localhost",
            SERVER_PORT, String.valueOf(port), DB_NAMESPACE, "postgres", ERROR_TYPE, PSQL_EXCEPTION),
        errors.get(0).attributes(), metrics::describe);
    assertEquals(5.0, errors.get(0).value(), metrics::describe);

    // the DataSource's failed checkouts are also its pool's errors; nothing was ever open
    MetricQuery poolErrors = metrics.metric(ERRORS).where(POOL_NAME, "localhost:" + port + "/postgres");
    assertEquals(2.0, poolErrors.where(ERROR_TYPE, PSQL_EXCEPTION).latestValue(), metrics::describe);
    assertTrue(metrics.metric(PHYSICAL).isEmpty(), metrics::describe);
    assertTrue(metrics.metric(SERVER_LIMIT).isEmpty(), metrics::describe);
    exitApp();
  }
}
