package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.awaitAgentStarted;
import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.CREATE_ERRORS;
import static io.poolscope.tests.support.PoolMetrics.ERRORS;
import static io.poolscope.tests.support.PoolMetrics.PHYSICAL;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static io.poolscope.tests.support.PoolMetrics.TIMEOUTS;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.RestartWorkloadApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.ControlDir;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.ProcessConnections;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted under a busy HikariCP pool (max 4, min idle 4): every physical connection
 * dies, the app sees failed statements and getConnection timeouts, HikariCP reconnects. Afterwards
 * poolscope's physical count for the process equals what pg_stat_activity shows for its
 * application_name (no dead connection left counted, no new one missed), nothing is left in use,
 * and poolscope's checkout figures equal the app's own counts exactly.
 *
 * <p>A private server on a fixed port and data directory, so it can be stopped and started again;
 * the shared one serves other test classes meanwhile.
 */
@FaultMatrix
class PostgresRestartTest extends AgentTest {

  private static final int POOL_SIZE = 4;
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  private static final long OUTAGE_MILLIS = 3000;

  @TempDir
  Path dir;

  @Test
  void countsConvergeAfterARestart() throws Exception {
    int port = freePort();
    Path data = dir.resolve("pgdata");
    EmbeddedPostgres server = startServer(port, data);
    ChildJvm child = null;
    try {
      ControlDir control = ControlDir.create();
      child = start(ChildJvm.withAgent(receiver).main(RestartWorkloadApp.class)
          .args("jdbc:postgresql://localhost:" + port + "/postgres", control.arg())
          // HikariCP's housekeeper (refill to min idle) every second instead of every 30 s
          .property("com.zaxxer.hikari.housekeeping.periodMs", "1000"));
      ProcessConnections connections = ProcessConnections.whenReady(
          receiver, child, RestartWorkloadApp.class.getSimpleName(), CONVERGE);
      awaitAgentStarted(child);
      assertBothEnds(connections, server, "before the restart");

      server.close();
      Thread.sleep(OUTAGE_MILLIS);
      server = startServer(port, data);
      assertBothEnds(connections, server, "after the restart");

      long pausedAt = control.command(child, "pause");
      Map<String, Long> app = stats(child);
      MetricQuery last = connections.awaitLastExport(
          q -> ProcessConnections.collectedAtNanos(q) > pausedAt * 1_000_000, CONVERGE);
      assertTrue(ProcessConnections.collectedAtNanos(last) > pausedAt * 1_000_000,
          "no export after the pause\n" + child.report());
      MetricQuery pool = last.where(POOL_NAME, RestartWorkloadApp.POOL);
      long ok = app.get("ok");
      long queryErrors = app.get("queryErrors");
      long getConnectionErrors = app.get("getConnectionErrors");
      long onServer = serverConnections(server, connections.applicationName());
      assertAll("after the restart, at rest\n" + last.describe() + "\n" + child.report(),
          // the restart was felt, or this test proves nothing
          () -> assertTrue(queryErrors + getConnectionErrors > 0, "the app saw no failure"),
          () -> assertTrue(last.metric(CREATE_ERRORS).latestValue() > 0,
              "no failed physical open counted while the server was down"),
          () -> assertEquals(POOL_SIZE, (long) last.metric(PHYSICAL).sumValues(), "exported"),
          () -> assertEquals(POOL_SIZE, onServer, "pg_stat_activity"),
          () -> assertEquals(0.0,
              pool.metric(COUNT).where(STATE, "used").latestValue(), "used"),
          // HikariCP retries dead connections inside getConnection: the app sees one failure
          // per getConnection that gave up, and so does poolscope
          () -> assertEquals(getConnectionErrors,
              (long) (pool.metric(TIMEOUTS).latestValue() + pool.metric(ERRORS).latestValue()),
              "timeouts + errors"),
          () -> assertEquals(ok + queryErrors + getConnectionErrors,
              pool.metric(WAIT_TIME).latestCount(), "wait_time count: every getConnection"),
          () -> assertEquals(ok + queryErrors,
              pool.metric(USE_TIME).latestCount(), "use_time count: every checkout returned"));
      control.command(child, "exit");
      assertEquals(0, child.awaitExit(CHILD_TIMEOUT), child::report);
    } finally {
      if (child != null) {
        child.kill();
      }
      server.close();
    }
  }

  /** Both ends show the full pool: poolscope's last export and the server itself. */
  private static void assertBothEnds(
      ProcessConnections connections, EmbeddedPostgres server, String when) throws Exception {
    long deadline = System.nanoTime() + CONVERGE.toNanos();
    long exported;
    long onServer;
    do {
      Thread.sleep(100);
      exported = connections.exported();
      onServer = serverConnections(server, connections.applicationName());
    } while ((exported != POOL_SIZE || onServer != POOL_SIZE) && System.nanoTime() < deadline);
    long finalExported = exported;
    long finalOnServer = onServer;
    assertAll(when + ": " + connections.lastExport().metric(PHYSICAL).describe() + "\n"
            + connections.child().report(),
        () -> assertEquals(POOL_SIZE, finalExported, "exported physical connections"),
        () -> assertEquals(POOL_SIZE, finalOnServer, "pg_stat_activity connections"));
  }

  private static long serverConnections(EmbeddedPostgres server, String applicationName)
      throws SQLException {
    String sql = "SELECT count(*) FROM pg_stat_activity"
        + " WHERE backend_type = 'client backend' AND application_name = ?";
    try (Connection connection = server.getPostgresDatabase().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, applicationName);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** The app's {@code STATS ok=N getConnectionErrors=N queryErrors=N} line. */
  private static Map<String, Long> stats(ChildJvm child) {
    String line = child.awaitStdoutLine("STATS ", ControlDir.ACK_TIMEOUT);
    Map<String, Long> stats = new HashMap<>();
    for (String pair : line.substring("STATS ".length()).split(" ")) {
      String[] kv = pair.split("=");
      stats.put(kv[0], Long.parseLong(kv[1]));
    }
    return stats;
  }

  /** Same port and data directory each time: a restart, not a new server. */
  private static EmbeddedPostgres startServer(int port, Path data) throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
