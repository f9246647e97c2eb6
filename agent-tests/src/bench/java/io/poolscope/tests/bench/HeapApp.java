package io.poolscope.tests.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;

/**
 * The heap benchmark's app: N checkout cycles on a HikariCP pool over the stub driver, then what
 * stays on the heap after full collections, with the pool still open as in a running app.
 * Args: checkouts. Prints {@code HEAP used=BYTES nonHeap=BYTES}.
 */
public final class HeapApp {

  public static void main(String[] args) throws Exception {
    int checkouts = Integer.parseInt(args[0]);
    try (HikariDataSource pool = StubPools.hikari()) {
      for (int i = 0; i < checkouts; i++) {
        try (Connection connection = pool.getConnection()) {
          // the cycle is the point
        }
      }
      // both agents finish starting their SDK on background threads; let that settle first
      Thread.sleep(2_000);
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(200);
      }
      System.out.println("HEAP used=" + memory.getHeapMemoryUsage().getUsed()
          + " nonHeap=" + memory.getNonHeapMemoryUsage().getUsed());
    }
  }
}
