package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class CheckoutTrackerTest {

  private final TestTracker test = new TestTracker("pools.max=3,server.limit=false");
  private final AtomicLong clock = test.clock;
  private final CheckoutTracker tracker = test.tracker;

  private Object checkout(Object dataSource, long waitNanos) {
    return test.checkout(dataSource, waitNanos);
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
    assertEquals(2, stats.probe().read(PoolProbe.Figure.IDLE));
    assertEquals(42L, stats.startEpochNanos());
  }

  @Test
  void threadsInsideGetConnectionArePending() {
    TestDataSource pool = new TestDataSource("p");
    Object state = tracker.getConnectionEnter(pool);
    PoolStats stats = only();
    assertEquals(1, stats.pending());
    tracker.getConnectionExit(state, new Object(), null);
    assertEquals(0, stats.pending());
  }

  @Test
  void aWrapperAroundAPoolIsOneCheckoutOfTheInnerPool() {
    TestDataSource wrapper = new TestDataSource("wrapper");
    @SuppressWarnings("deprecation") // any pool from another library than the wrapper's
    org.postgresql.ds.PGPoolingDataSource pool = new org.postgresql.ds.PGPoolingDataSource();
    pool.setDataSourceName("inner");
    PGSimpleDataSource driver = new PGSimpleDataSource();
    Object physical = new Object();
    Object proxy = new Object();

    Object state = tracker.getConnectionEnter(wrapper);
    tracker.getConnectionEnter(pool);
    tracker.getConnectionEnter(driver); // the pool opens a physical connection inside the checkout
    tracker.getConnectionExit(state, physical, null);
    tracker.getConnectionExit(state, proxy, null);
    tracker.getConnectionExit(state, proxy, null);

    List<PoolStats> active =
        tracker.pools().stream().filter(PoolStats::active).collect(Collectors.toList());
    assertEquals(1, active.size());
    assertEquals("inner", active.get(0).name());
    assertEquals(1, active.get(0).waitTime().snapshot().count);
    assertEquals(1, active.get(0).used());
    tracker.pools().forEach(p -> assertEquals(0, p.pending(), p.name()));

    // the driver DataSource now belongs to the pool: the pool's own later calls are no checkouts
    state = tracker.getConnectionEnter(driver);
    tracker.getConnectionExit(state, new Object(), null);
    assertEquals(1, active.get(0).used());
    assertEquals(1, tracker.pools().stream().filter(PoolStats::active).count());
  }

  @Test
  void aPoolsOwnInnerDataSourceDoesNotTakeTheCheckoutFromIt() {
    TestDataSource pool = new TestDataSource("outer");
    TestDataSource inner = new TestDataSource("inner"); // same library, like dbcp2's PoolingDataSource
    Object state = tracker.getConnectionEnter(pool);
    tracker.getConnectionEnter(inner);
    tracker.getConnectionExit(state, new Object(), null);
    tracker.getConnectionExit(state, new Object(), null);
    assertEquals(List.of("outer"), names());
  }

  @Test
  void librariesAreTheFirstThreePackageSegments() {
    assertEquals("org.postgresql.ds", RoleClassifier.library(org.postgresql.ds.PGSimpleDataSource.class));
    assertEquals("io.poolscope.agent", RoleClassifier.library(TestDataSource.class));
    assertEquals("java.lang", RoleClassifier.library(String.class));
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
    assertEquals(-1, stats.probe().read(PoolProbe.Figure.IDLE));
    assertEquals(false, stats.pooled());
  }

  @Test
  void dataSourcesOfAnUnlistedDriverNamedInTheOptionsAreUnpooled() {
    TestTracker vendor = new TestTracker("driver.packages=io.poolscope.agent.tracking,server.limit=false");
    Object state = vendor.tracker.getConnectionEnter(new TestDataSource("vendor"));
    vendor.tracker.getConnectionExit(state, new Object(), null);
    PoolStats stats = vendor.tracker.pools().get(0);
    assertEquals(false, stats.pooled());
    assertEquals(-1, stats.probe().read(PoolProbe.Figure.IDLE)); // no pool to read
    checkout(new TestDataSource("vendor"), 1);
    assertEquals(true, only().pooled()); // the same class without the option: a pool
  }

  /** The borrower checks out nothing more: its slot must not keep the closed connection alive. */
  @Test
  void closeOnAnotherThreadEndsTheCheckoutAndLeavesTheConnectionToTheCollector() throws Exception {
    TestDataSource pool = new TestDataSource("p");
    WeakReference<Object> closed = closedOnAnotherThread(checkout(pool, 1));
    assertEquals(0, only().used());
    assertEquals(1, only().useTime().snapshot().count);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (closed.get() != null && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(closed.get());
  }

  private WeakReference<Object> closedOnAnotherThread(Object connection) throws Exception {
    CompletableFuture.runAsync(() -> tracker.connectionClose(connection)).get();
    return new WeakReference<>(connection);
  }

  @Test
  void failuresAreTimeoutsOrErrorsByType() {
    TestDataSource pool = new TestDataSource("p");
    Object state = tracker.getConnectionEnter(pool);
    tracker.getConnectionExit(state, null, new SQLTransientConnectionException("timed out"));
    tracker.getConnectionEnter(pool);
    tracker.getConnectionExit(state, null, new SQLException("refused"));
    tracker.getConnectionEnter(pool);
    tracker.getConnectionExit(state, null, new SQLException("refused"));
    PoolStats stats = only();
    assertEquals(Map.of("java.sql.SQLTransientConnectionException", 1L), counts(stats.timeouts()));
    assertEquals(Map.of("java.sql.SQLException", 2L), counts(stats.errors()));
    assertEquals(0, stats.waitTime().snapshot().count);
    assertEquals(2, stats.failedWaitTime().snapshot().get("java.sql.SQLException").snapshot().count);
    assertEquals(0, stats.used());
    assertEquals(0, stats.pending());
  }

  private static Map<String, Long> counts(ByErrorType<java.util.concurrent.atomic.LongAdder> byType) {
    return byType.snapshot().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
  }

  @Test
  void anExitWithoutItsEnterChangesNothing() {
    TestDataSource pool = new TestDataSource("p");
    tracker.getConnectionExit(null, new Object(), null); // entered before the tracker was installed
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
    clock.addAndGet(CheckoutTracker.MOVE_AFTER_NANOS); // out of its thread's slot into a weak record
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

  private static final String URL = "jdbc:postgresql://db:5432/shop?password=secret";

  private Object connect(String url) {
    Object physical = new Object();
    Object state = connectEnter(url, new java.util.Properties());
    clock.addAndGet(500);
    tracker.driverConnectExit(state, physical, null);
    return physical;
  }

  /** The enter hooks in the woven order; returns the state the exit gets. */
  private Object connectEnter(String url, java.util.Properties info) {
    Object state = tracker.driverConnectEnter(url);
    connectInfo = tracker.driverConnectInfo(state, url, info);
    tracker.driverConnectUrl(state, url);
    return state;
  }

  /** The properties the last {@link #connectEnter} connected with. */
  private java.util.Properties connectInfo;

  /** A driver's own DataSource: each getConnection connects (no pool). */
  private static PGSimpleDataSource driverDataSource() {
    PGSimpleDataSource driver = new PGSimpleDataSource();
    driver.setServerNames(new String[] {"db"});
    return driver;
  }

  private long physicalOf(PoolStats pool) {
    return tracker.physicalConnections().stream().filter(p -> p.pool() == pool).count();
  }

  @Test
  void aConnectionOpenedInsideACheckoutBelongsToThatPool() {
    TestDataSource pool = new TestDataSource("p");
    Object state = tracker.getConnectionEnter(pool);
    Object physical = connect(URL);
    tracker.getConnectionExit(state, new Object(), null);
    PoolStats stats = only();
    assertEquals(1, physicalOf(stats));
    assertEquals(1, stats.createTime().snapshot().count);
    assertEquals(500, stats.createTime().snapshot().sumNanos);
    assertEquals("postgresql://db:5432/shop", stats.server().toString());

    tracker.connectionClose(physical);
    assertEquals(0, physicalOf(stats));
  }

  @Test
  void aDriverDataSourcesCheckoutIsItsConnectMeasuredOnce() {
    PGSimpleDataSource driver = driverDataSource();
    Object state = tracker.getConnectionEnter(driver);
    clock.addAndGet(20); // the DataSource building its URL: part of the connect
    Object physical = connect(URL);
    clock.addAndGet(3); // after the connect: no part of either
    tracker.getConnectionExit(state, physical, null);
    PoolStats stats = only();
    assertEquals(520, stats.waitTime().snapshot().sumNanos);
    assertEquals(520, stats.createTime().snapshot().sumNanos);

    state = tracker.getConnectionEnter(driver);
    clock.addAndGet(20);
    Object connecting = connectEnter(URL, new java.util.Properties());
    clock.addAndGet(100);
    tracker.driverConnectExit(connecting, null, new SQLException("refused"));
    clock.addAndGet(50); // a retry's back-off is in the wait, not in the second connect
    connect(URL);
    tracker.getConnectionExit(state, new Object(), null);
    assertEquals(2, stats.waitTime().snapshot().count);
    assertEquals(520 + 670, stats.waitTime().snapshot().sumNanos);
    assertEquals(2, stats.createTime().snapshot().count);
    assertEquals(520 + 500, stats.createTime().snapshot().sumNanos);
  }

  @Test
  void anUnpooledConnectionIsCountedOnceWhileHeldMovedAndAfterClose() {
    PGSimpleDataSource driver = driverDataSource();
    Object state = tracker.getConnectionEnter(driver);
    Object physical = connect(URL);
    tracker.getConnectionExit(state, physical, null);
    state = tracker.getConnectionEnter(driver);
    Object wrapped = connect(URL);
    Object wrapper = new Object();
    tracker.getConnectionExit(state, wrapper, null); // a DataSource handing out a wrapper
    PoolStats stats = only();
    assertEquals(2, physicalOf(stats));

    clock.addAndGet(CheckoutTracker.MOVE_AFTER_NANOS); // both checkouts leave their slots
    assertEquals(2, physicalOf(stats));
    tracker.connectionClose(physical);
    tracker.connectionClose(wrapper);
    tracker.connectionClose(wrapped);
    assertEquals(0, physicalOf(stats));

    state = tracker.getConnectionEnter(driver);
    physical = connect(URL);
    tracker.getConnectionExit(state, physical, null);
    assertEquals(1, physicalOf(stats));
    assertEquals(physical, tracker.physicalConnections().iterator().next().get());
    tracker.connectionClose(physical);
    assertEquals(0, physicalOf(stats));
    assertEquals(0, stats.used());
  }

  /** A driver DataSource retrying after a connection it did not like: both are open on the server. */
  @Test
  void twoConnectionsOpenedInOneDriverCheckoutAreBothCountedUntilEachCloses() {
    PGSimpleDataSource driver = driverDataSource();
    Object state = tracker.getConnectionEnter(driver);
    Object first = connect(URL);
    Object second = connect(URL);
    tracker.getConnectionExit(state, second, null);
    PoolStats stats = only();
    assertEquals(2, physicalOf(stats));
    assertEquals(1, stats.used());
    assertEquals(2, stats.createTime().snapshot().count);

    tracker.connectionClose(second);
    assertEquals(1, physicalOf(stats));
    assertEquals(0, stats.used());
    tracker.connectionClose(first);
    assertEquals(0, physicalOf(stats));
  }

  @Test
  void aConnectionAPoolOpensOnItsOwnThreadIsAttributedToTheOnlyPoolOfThatServer() {
    // a pool filling itself: the stack holds a DataSource implementation (this pool's own code)
    TestDataSource pool =
        new TestDataSource("p") {
          Object fill() {
            return connect(URL);
          }
        };
    Object physical = ((java.util.function.Supplier<Object>) () -> {
      try {
        return pool.getClass().getDeclaredMethod("fill").invoke(pool);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }).get();
    assertEquals(1, tracker.physicalConnections().size());
    assertEquals(null, tracker.physicalConnections().iterator().next().pool());

    checkout(pool, 1); // the pool becomes known: its server is unknown, it is the only candidate
    PoolStats stats = only();
    assertEquals(1, physicalOf(stats));
    assertEquals(1, stats.createTime().snapshot().count);
    tracker.connectionClose(physical);
    assertEquals(0, tracker.physicalConnections().size());
  }

  @Test
  void driverManagerConnectionsAreCheckoutsOfTheServersUnpooledPool() {
    Object connection = connect(URL);
    PoolStats stats = only();
    assertEquals("db:5432/shop", stats.name());
    assertEquals(false, stats.pooled());
    assertEquals(1, stats.used());
    assertEquals(500, stats.waitTime().snapshot().sumNanos);
    assertEquals(1, physicalOf(stats));
    clock.addAndGet(2_000);
    tracker.connectionClose(connection);
    assertEquals(0, stats.used());
    assertEquals(2_000, stats.useTime().snapshot().sumNanos);
    assertEquals(0, physicalOf(stats));
  }

  @Test
  void newPostgresConnectionsAreNamedAfterTheProcessUnlessTheAppNamedThem() {
    java.util.Properties mine = new java.util.Properties();
    tracker.driverConnectExit(connectEnter(URL, mine), null, null);
    assertEquals("shop-" + ProcessHandle.current().pid(), connectInfo.getProperty("ApplicationName"));
    assertEquals(null, mine.getProperty("ApplicationName"), "the caller's properties are untouched");

    mine.setProperty("ApplicationName", "billing");
    tracker.driverConnectExit(connectEnter(URL, mine), null, null);
    assertEquals("billing", connectInfo.getProperty("ApplicationName"));
    String inUrl = "jdbc:postgresql://db/shop?ApplicationName=own";
    tracker.driverConnectExit(connectEnter(inUrl, mine), null, null);
    assertEquals(mine, connectInfo);
  }
}
