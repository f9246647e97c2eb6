package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertEveryPointHasPoolName;
import static io.poolscope.tests.support.PoolMetrics.ERRORS;
import static io.poolscope.tests.support.PoolMetrics.ERROR_TYPE;
import static io.poolscope.tests.support.PoolMetrics.TIMEOUTS;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.FailingDataSourceApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.ReceivedSpan;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * getConnection failures of a home-made DataSource: timeouts and other errors are counted apart,
 * by exception class, and failed waits still count as waits. Its pool name is not part of the
 * contract, so counts are summed over all pools.
 */
class FailingDataSourceTest extends AgentTest {

  private static final int TIMEOUTS_N = 3;
  private static final int ERRORS_M = 2;
  private static final int SUCCESSES_K = 5;

  /**
   * The failures come at the app's very first JDBC calls, while the SDK is still starting on its own
   * thread: their spans are kept until it is up, then sent with their own times.
   */
  @Test
  void failuresBeforeTheExporterIsUpStillGetTheirSpans() {
    ChildJvm child = run(app(FailingDataSourceApp.class).args(TIMEOUTS_N, ERRORS_M, SUCCESSES_K));
    assertTrue(child.stdout().contains("DONE timeouts=" + TIMEOUTS_N), child::report);

    List<ReceivedSpan> failed = receiver
        .awaitSpans(s -> failedCheckouts(s).size() >= TIMEOUTS_N + ERRORS_M, EXPORT_GRACE)
        .stream().filter(s -> ReceivedSpan.ERROR.equals(s.statusCode())).toList();
    assertEquals(TIMEOUTS_N + ERRORS_M, failed.size(), failed::toString);
    Map<String, Long> byType = failed.stream()
        .collect(Collectors.groupingBy(s -> s.attribute(ERROR_TYPE), Collectors.counting()));
    assertEquals(Map.of("java.sql.SQLTransientConnectionException", (long) TIMEOUTS_N,
        "java.sql.SQLException", (long) ERRORS_M), byType, failed::toString);
    for (ReceivedSpan span : failed) {
      // its own start and end, not the time the SDK came up
      assertTrue(span.endUnixNano() - span.startUnixNano() < 100_000_000L, span::toString);
      assertTrue(span.isRoot(), span::toString);
    }
  }

  private static List<ReceivedSpan> failedCheckouts(List<ReceivedSpan> spans) {
    return spans.stream()
        .filter(s -> s.name().startsWith("checkout ") && ReceivedSpan.ERROR.equals(s.statusCode()))
        .toList();
  }

  @Test
  void failuresAreCountedByKind() {
    ChildJvm child = run(app(FailingDataSourceApp.class).args(TIMEOUTS_N, ERRORS_M, SUCCESSES_K));
    assertTrue(child.stdout().contains(
        "DONE timeouts=" + TIMEOUTS_N + " errors=" + ERRORS_M + " checkouts=" + SUCCESSES_K),
        child::report);

    MetricQuery metrics = poolscopeMetrics(WAIT_TIME,
        q -> q.latestCount() == TIMEOUTS_N + ERRORS_M + SUCCESSES_K);
    assertEveryPointHasPoolName(metrics);

    MetricQuery timeouts = metrics.metric(TIMEOUTS);
    assertEquals(TIMEOUTS_N, timeouts.latestValue(), metrics::describe);
    assertEquals(Set.of("java.sql.SQLTransientConnectionException"),
        timeouts.attributeValues(ERROR_TYPE), metrics::describe);

    MetricQuery errors = metrics.metric(ERRORS);
    assertEquals(ERRORS_M, errors.latestValue(), metrics::describe);
    assertEquals(Set.of("java.sql.SQLException"), errors.attributeValues(ERROR_TYPE),
        metrics::describe);

    MetricQuery waits = metrics.metric(WAIT_TIME);
    assertEquals(TIMEOUTS_N + ERRORS_M + SUCCESSES_K, waits.latestCount(), metrics::describe);
    assertEquals(TIMEOUTS_N + ERRORS_M,
        waits.filter(p -> p.attribute(ERROR_TYPE) != null).latestCount(),
        () -> "failed waits must carry error.type\n" + metrics.describe());
    assertEquals(SUCCESSES_K, metrics.metric(USE_TIME).latestCount(), metrics::describe);
  }
}
