package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.CREATE_ERRORS;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.SERVER_PORT;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.SecretsApp;
import io.poolscope.tests.support.ClosedPort;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.SharedPostgres;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A password in a JDBC URL, in connection Properties or in getConnection(user, password) never
 * leaves the process through poolscope: not in any byte the collector receives (metrics and spans,
 * every checkout a span here), not in stdout or stderr, where poolscope logs — also for a connect
 * that fails and a leak report. The password is also on the app's command line, where poolscope
 * must not pick it up either (e.g. for a derived service name).
 */
@FaultMatrix
class SecretsTest extends LongRunningAppTest {

  private static final String SECRET = "S3cr3t-xyz";

  @Test
  void passwordNeverReachesTheCollectorOrTheLog() throws InterruptedException {
    // why connecting with a password works at all: the embedded server trusts local connections
    assertEquals(0, SharedPostgres.queryLong(
        "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'trust'"));

    int closedPort = ClosedPort.find();
    startApp(app(SecretsApp.class).args(SECRET, closedPort, control.dir())
        .property("poolscope.spans", "all")
        .property("poolscope.leak.threshold", "300")
        .property("poolscope.debug", "true")
        .property("otel.bsp.schedule.delay", "200"));
    child.awaitStdoutLine("READY", WARM_UP);
    assertTrue(child.stdout().contains("DONE failures=2"), child::report);

    // the paths that handle the password did run and report: pools, a failed connect, a leak, spans
    MetricQuery metrics = receiver.awaitMetric(CREATE_ERRORS, q -> q.poolscope()
        .where(SERVER_PORT, String.valueOf(closedPort)).latestValue() == 1, SETTLE).poolscope();
    assertEquals(1.0, metrics.metric(CREATE_ERRORS).where(SERVER_PORT, String.valueOf(closedPort))
        .latestValue(), metrics::describe);
    // the user:password@ URL reached the real server's port and was refused there
    assertEquals(1.0, metrics.metric(CREATE_ERRORS)
        .where(SERVER_PORT, String.valueOf(SharedPostgres.port())).latestValue(), metrics::describe);
    assertEquals(11, metrics.metric(USE_TIME).where(POOL_NAME, "secret-pool").latestCount(),
        metrics::describe);
    assertTrue(child.stderr().contains("connection leak suspected in pool secret-pool"),
        child::report);
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!tracesReceived() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(tracesReceived(), () -> "no spans received: " + receiver.otherRequests());
    // the exit flush too: everything the process ever sent is searched below
    exitApp();

    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    List<byte[]> bodies = receiver.rawBodies();
    assertTrue(bodies.size() >= 2, "nothing received to search");
    for (byte[] body : bodies) {
      assertFalse(contains(body, secret), () -> "the password is in a request the collector got\n"
          + new String(body, StandardCharsets.ISO_8859_1));
    }
    assertFalse(child.stdout().contains(SECRET), child::report);
    assertFalse(child.stderr().contains(SECRET), child::report);
  }

  private boolean tracesReceived() {
    return receiver.otherRequests().stream().anyMatch(r -> r.startsWith("/v1/traces"));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
