package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.IDLE_MAX;
import static io.poolscope.tests.support.PoolMetrics.IDLE_MIN;
import static io.poolscope.tests.support.PoolMetrics.MAX;
import static io.poolscope.tests.support.PoolMetrics.PHYSICAL;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.SERVER_LIMIT;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.HoldConnectionsApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.ControlDir;
import io.poolscope.tests.support.DataPoint;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.ProcessConnections;
import io.poolscope.tests.support.ProcessConnections.Counts;
import io.poolscope.tests.support.SharedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The user's question, "PostgreSQL shows 15 connections: which process holds them?", checked the way
 * a user would: three worker JVMs, each with a HikariCP pool of 5, against one PostgreSQL. Per
 * process, poolscope's exported physical count must equal what {@code pg_stat_activity} shows under
 * the application_name poolscope gave the connections: after warm-up, after one worker closes its
 * pool, and after another exits.
 */
class FleetAgreementTest extends AgentTest {

  private static final int POOL_SIZE = 5;
  private static final String POOL = "fleet-pool";
  /** Connections each worker keeps checked out, so that idle = size − used is not trivially 5. */
  private static final int[] HOLD = {2, 1, 0};
  /** Three JVMs starting at once on two shared cores. */
  private static final Duration WARM_UP = Duration.ofSeconds(60);
  /** For the server to drop a closed connection's backend, and for an export to arrive. */
  private static final Duration SETTLE = Duration.ofSeconds(10);
  /** The first export after a close must have been collected within one interval of it, plus this. */
  private static final Duration SLACK = Duration.ofSeconds(3);

  private final List<ChildJvm> children = new ArrayList<>();
  private final List<ProcessConnections> workers = new ArrayList<>();
  private final List<ControlDir> controls = new ArrayList<>();

  @Test
  void perProcessCountsMatchTheServerThroughCloseAndExit() {
    for (int i = 0; i < HOLD.length; i++) {
      ControlDir control = ControlDir.create();
      children.add(start(app(HoldConnectionsApp.class)
          .property("otel.service.name", service(i))
          .args("source=hikari", "size=" + POOL_SIZE, "hold=" + HOLD[i], "name=" + POOL,
              control.arg())));
      controls.add(control);
    }
    for (int i = 0; i < HOLD.length; i++) {
      workers.add(ProcessConnections.whenReady(receiver, children.get(i), service(i), WARM_UP));
    }

    // after warm-up: 5 per process on both sides, 15 in all
    long exportedTotal = 0;
    long serverTotal = 0;
    for (int i = 0; i < workers.size(); i++) {
      ProcessConnections worker = workers.get(i);
      Counts counts = worker.await(POOL_SIZE, WARM_UP);
      assertEquals(Counts.both(POOL_SIZE), counts, worker::describe);
      exportedTotal += counts.exported();
      serverTotal += counts.server();
      assertPoolFigures(worker, HOLD[i]);
    }
    assertEquals(3 * POOL_SIZE, exportedTotal);
    assertEquals(3 * POOL_SIZE, serverTotal);

    // worker-3 closes its pool: its next export and the server both say 0, the others 5
    ProcessConnections closing = workers.get(2);
    long closedAt = controls.get(2).command(closing.child(), "close");
    closing.assertNextExportShows(closedAt, 0, SLACK);
    assertEquals(Counts.both(0), closing.await(0, SETTLE), closing::describe);
    assertEquals(Counts.both(POOL_SIZE), workers.get(0).await(POOL_SIZE, SETTLE), workers.get(0)::describe);
    assertEquals(Counts.both(POOL_SIZE), workers.get(1).await(POOL_SIZE, SETTLE), workers.get(1)::describe);

    // worker-2 exits with its pool open: the server lets go of its connections
    ProcessConnections exiting = workers.get(1);
    controls.get(1).command(exiting.child(), "exit");
    assertEquals(0, exiting.child().awaitExit(CHILD_TIMEOUT), exiting.child()::report);
    assertEquals(0, exiting.awaitOnServer(0, SETTLE), exiting::describe);
    assertEquals(Counts.both(POOL_SIZE), workers.get(0).await(POOL_SIZE, SETTLE), workers.get(0)::describe);

    for (int i : new int[] {0, 2}) {
      controls.get(i).command(workers.get(i).child(), "exit");
      assertEquals(0, workers.get(i).child().awaitExit(CHILD_TIMEOUT), workers.get(i).child()::report);
    }
  }

  private static String service(int worker) {
    return "worker-" + (worker + 1);
  }

  /** HikariCP's own figures and the server's limit, as the worker exported them. */
  private void assertPoolFigures(ProcessConnections worker, int used) {
    // HikariCP counts a new connection idle a moment after the driver opened it
    MetricQuery last = worker.awaitLastExport(
        q -> q.metric(PHYSICAL).where(POOL_NAME, POOL).sumValues() == POOL_SIZE
            && q.metric(COUNT).where(STATE, "idle").sumValues() == POOL_SIZE - used, WARM_UP);
    String context = worker.describe() + "\n" + last.describe();
    assertEquals(worker.service(), last.points().get(0).resource().get("service.name"), context);

    Map<String, String> server = ProcessConnections.serverAttributes();
    List<DataPoint> physical = last.metric(PHYSICAL).points();
    assertEquals(1, physical.size(), context);
    assertEquals(ProcessConnections.physicalAttributes(POOL, true), physical.get(0).attributes(),
        context);

    MetricQuery ofPool = last.where(POOL_NAME, POOL);
    assertEquals(used, ofPool.metric(COUNT).where(STATE, "used").sumValues(), context);
    assertEquals(POOL_SIZE - used, ofPool.metric(COUNT).where(STATE, "idle").sumValues(), context);
    assertEquals(POOL_SIZE, ofPool.metric(MAX).sumValues(), context);
    assertEquals(POOL_SIZE, ofPool.metric(IDLE_MIN).sumValues(), context);
    assertTrue(ofPool.metric(IDLE_MAX).isEmpty(), () -> "HikariCP has no idle maximum\n" + context);

    List<DataPoint> limit = last.metric(SERVER_LIMIT).points();
    assertEquals(1, limit.size(), context);
    assertEquals(server, limit.get(0).attributes(), context);
    assertEquals(SharedPostgres.maxConnections(), limit.get(0).value(), context);
  }

  /** A failed run must not leave workers behind. */
  @AfterEach
  void stopWorkers() {
    children.forEach(ChildJvm::kill);
  }
}
