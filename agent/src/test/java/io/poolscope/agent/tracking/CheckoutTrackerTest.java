package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class CheckoutTrackerTest {

  private final AtomicLong clock = new AtomicLong(1_000);
  private final CheckoutTracker tracker =
      new CheckoutTracker(3, List.of(), clock::get, () -> 42L);

  private Object checkout(Object dataSource, long waitNanos) {
    Object connection = new Object();
    tracker.getConnectionEnter(dataSource);
    clock.addAndGet(waitNanos);
    tracker.getConnectionExit(dataSource, connection, null);
    return connection;
  }

  private PoolStats only() {
    List<PoolStats> pools = tracker.pools();
    assertEquals(1, pools.size(), () -> "pools: " + names());
    return pools.get(0);
  }

  private List<String> names() {
    return tracker.pools().stream().map(PoolStats::name).collect(Collectors.toList());
  }

  @Test
  void waitIsTheGetConnectionAndUseEndsAtTheFirstClose() {
    TestDataSource pool = new TestDataSource("orders");
    Object connection = checkout(pool, 3_000);
    PoolStats stats = only();
    assertEquals("orders", stats.name());
    assertEquals(1, stats.used());
    assertEquals(0, stats.pending());

    clock.addAndGet(7_000);
    tracker.connectionClose(connection);
    clock.addAndGet(1_000_000);
    tracker.connectionClose(connection); // a second close is a no-op

    assertEquals(0, stats.used());
    Histogram.Snapshot wait = stats.waitTime().snapshot();
    Histogram.Snapshot use = stats.useTime().snapshot();
    assertEquals(1, wait.count);
    assertEquals(3_000, wait.sumNanos);
    assertEquals(1, use.count);
    assertEquals(7_000, use.sumNanos);
    assertEquals(2, stats.idle());
    assertEquals(42L, stats.startEpochNanos());
  }

  @Test
  void threadsInsideGetConnectionArePending() {
    TestDataSource pool = new TestDataSource("p");
    tracker.getConnectionEnter(pool);
    PoolStats stats = only();
    assertEquals(1, stats.pending());
    tracker.getConnectionExit(pool, new Object(), null);
    assertEquals(0, stats.pending());
  }

  @Test
  void aWrapperAroundAPoolIsOneCheckoutOfTheInnerPool() {
    TestDataSource wrapper = new TestDataSource("wrapper");
    TestDataSource pool = new TestDataSource("inner");
    PGSimpleDataSource driver = new PGSimpleDataSource();
    Object physical = new Object();
    Object proxy = new Object();

    tracker.getConnectionEnter(wrapper);
    tracker.getConnectionEnter(pool);
    tracker.getConnectionEnter(driver); // the pool opens a physical connection inside the checkout
    tracker.getConnectionExit(driver, physical, null);
    tracker.getConnectionExit(pool, proxy, null);
    tracker.getConnectionExit(wrapper, proxy, null);

    List<PoolStats> active =
        tracker.pools().stream().filter(PoolStats::active).collect(Collectors.toList());
    assertEquals(1, active.size());
    assertEquals("inner", active.get(0).name());
    assertEquals(1, active.get(0).waitTime().snapshot().count);
    assertEquals(1, active.get(0).used());
    tracker.pools().forEach(p -> assertEquals(0, p.pending(), p.name()));

    // the driver DataSource now belongs to the pool: the pool's own later calls are no checkouts
    tracker.getConnectionEnter(driver);
    tracker.getConnectionExit(driver, new Object(), null);
    assertEquals(1, active.get(0).used());
    assertEquals(1, tracker.pools().stream().filter(PoolStats::active).count());
  }

  @Test
  void aDriverDataSourceUsedDirectlyIsAnUnpooledPoolNamedByItsUrl() {
    PGSimpleDataSource driver = new PGSimpleDataSource();
    driver.setServerNames(new String[] {"db.internal"});
    driver.setPortNumbers(new int[] {6543});
    driver.setDatabaseName("shop");
    driver.setPassword("hunter2");
    checkout(driver, 10);
    PoolStats stats = only();
    assertEquals("db.internal:6543/shop", stats.name());
    assertEquals(-1, stats.idle());
  }

  @Test
  void closeOnAnotherThreadEndsTheCheckout() throws Exception {
    TestDataSource pool = new TestDataSource("p");
    Object connection = checkout(pool, 1);
    CompletableFuture.runAsync(() -> tracker.connectionClose(connection)).get();
    assertEquals(0, only().used());
    assertEquals(1, only().useTime().snapshot().count);
  }

  @Test
  void failuresAreTimeoutsOrErrorsByType() {
    TestDataSource pool = new TestDataSource("p");
    tracker.getConnectionEnter(pool);
    tracker.getConnectionExit(pool, null, new SQLTransientConnectionException("timed out"));
    tracker.getConnectionEnter(pool);
    tracker.getConnectionExit(pool, null, new SQLException("refused"));
    tracker.getConnectionEnter(pool);
    tracker.getConnectionExit(pool, null, new SQLException("refused"));
    PoolStats stats = only();
    assertEquals(
        java.util.Map.of("java.sql.SQLTransientConnectionException", 1L), stats.timeouts().snapshot());
    assertEquals(java.util.Map.of("java.sql.SQLException", 2L), stats.errors().snapshot());
    assertEquals(3, stats.waitTime().snapshot().count);
    assertEquals(0, stats.used());
    assertEquals(0, stats.pending());
  }

  @Test
  void anExitWithoutItsEnterChangesNothing() {
    TestDataSource pool = new TestDataSource("p");
    tracker.getConnectionExit(pool, new Object(), null); // entered before the agent was installed
    tracker.connectionClose(new Object());
    assertTrue(tracker.pools().isEmpty());
    Object connection = checkout(pool, 1);
    tracker.connectionClose(connection);
    assertEquals(0, only().used());
  }

  @Test
  void distinctPoolsWithTheSameNameAreNumberedAndCappedPoolsOverflow() {
    for (int i = 0; i < 5; i++) {
      checkout(new TestDataSource("same"), 1);
    }
    assertEquals(List.of("same", "same#2", "same#3", PoolRegistry.OVERFLOW_POOL), names());
    PoolStats overflow = tracker.pools().get(3);
    assertEquals(2, overflow.used());
  }

  @Test
  void aConnectionDroppedWithoutCloseIsAbandoned() throws Exception {
    TestDataSource pool = new TestDataSource("p");
    checkout(pool, 1); // the connection object is unreachable once checkout returns
    PoolStats stats = only();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (stats.abandonedCount() == 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
      tracker.pools();
    }
    assertEquals(1, stats.abandonedCount());
    assertEquals(0, stats.used());
    assertEquals(0, tracker.openCheckouts());
  }
}
