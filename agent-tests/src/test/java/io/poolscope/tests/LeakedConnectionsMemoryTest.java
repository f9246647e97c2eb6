package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.AppOutput.heapGrowth;
import static io.poolscope.tests.support.PoolMetrics.ABANDONED;
import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.HeapApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * 100k connections from a home-made unpooled DataSource, dropped without close(): poolscope counts
 * every one as abandoned and retains none of them. The connections are tiny fakes (JDK proxies), so
 * what is measured is the agent's own bookkeeping, not the driver's. The bounded span queue is
 * {@link CollectorDownLongRunTest}'s subject.
 */
// heap figures: measured with no other child JVMs competing for the 2 cores
@FaultMatrix
@Isolated
class LeakedConnectionsMemoryTest extends AgentTest {

  private static final long MIB = 1024 * 1024;
  private static final int LEAKED = 100_000;
  /**
   * Heap the agent may add across the leak, beyond what the same app adds without it: its tables'
   * grown capacity (about 1 MiB) and SDK buffers. Keeping the leaked connections or their checkout
   * records would cost over 10 MiB.
   */
  private static final long BOUND = 4 * MIB;

  @Test
  void leakedConnectionsAreCountedNotRetained() {
    String[] args = {"workload=leak", "checkouts=" + LEAKED};
    ChildJvm baseline = run(appWithoutAgent(HeapApp.class).args((Object[]) args));
    // spans off: each abandoned connection would also become a span, and the span export queue
    // (2048 spans, bounded) would be measured instead of the connection bookkeeping
    ChildJvm child =
        run(app(HeapApp.class).args((Object[]) args).property("poolscope.spans", "off"));
    assertAgentStarted(child);
    assertEquals(baseline.stdout(), child.stdout(), child::report);
    assertTrue(child.stdout().contains("DONE workload=leak checkouts=" + LEAKED), child::report);

    long withoutAgent = heapGrowth(baseline);
    long withAgent = heapGrowth(child);
    assertTrue(withAgent <= withoutAgent + BOUND,
        () -> "heap grew by " + withAgent / 1024 + " KiB across " + LEAKED
            + " dropped connections with the agent, " + withoutAgent / 1024 + " KiB without\n"
            + child.report());

    MetricQuery metrics = poolscopeMetrics(ABANDONED, q -> q.latestValue() == LEAKED);
    assertEquals(LEAKED, metrics.metric(ABANDONED).latestValue(), metrics::describe);
    assertEquals(0.0, metrics.metric(COUNT).where(STATE, "used").latestValue(), metrics::describe);
  }
}
