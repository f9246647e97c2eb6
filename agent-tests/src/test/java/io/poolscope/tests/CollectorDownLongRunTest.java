package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.AppOutput.heapGrowth;
import static io.poolscope.tests.support.AppOutput.sendWarnings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.HeapApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.FaultyCollector;
import org.junit.jupiter.api.Test;

/**
 * The collector is down for a 20 s HikariCP run with exports every 200 ms and a span per checkout:
 * about 100 failed metric exports and far more spans than the export queue holds, yet the heap
 * stays flat and the user gets exactly one warning.
 */
@FaultMatrix
class CollectorDownLongRunTest extends AgentTest {

  /** Heap growth allowed over the run: a full span queue (2048 spans) and SDK caches. */
  private static final long BOUND = 8 * 1024 * 1024;

  @Test
  void memoryStaysFlatAndOneWarning() {
    try (FaultyCollector down = FaultyCollector.start(FaultyCollector.Fault.DOWN)) {
      ChildJvm child = run(app(HeapApp.class).args("workload=steady", "durationMs=20000")
          .property("otel.exporter.otlp.endpoint", down.endpoint())
          // every checkout a span: the span queue fills up and must stay bounded
          .property("poolscope.spans", "all"));
      assertAgentStarted(child);
      assertTrue(child.stdout().contains("DONE workload=steady"), child::report);
      long growth = heapGrowth(child);
      assertTrue(growth <= BOUND, () -> "heap grew by " + growth / 1024
          + " KiB over 20 s with the collector down\n" + child.report());
      assertEquals(1, sendWarnings(child), child::report);
    }
  }
}
