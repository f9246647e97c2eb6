package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LeaksAndCallSitesTest {

  private static final String SITES_HERE =
      "server.limit=false,callsite.include=io.poolscope.agent.tracking.LeaksAndCallSitesTest";

  private final TestDataSource pool = new TestDataSource("p");

  private static List<CallSite> sites(TestTracker test) {
    return test.tracker.callSites().stream()
        .sorted(Comparator.comparingInt(CallSite::line))
        .collect(Collectors.toList());
  }

  @Test
  void everyCheckoutsBorrowLineHasItsOwnHoldTimes() {
    TestTracker test = new TestTracker(SITES_HERE + ",callsite.sample=1,callsite.interval=0");
    for (int i = 0; i < 3; i++) {
      test.hold(test.checkout(pool, 1), 1_000); // site A
      test.hold(test.checkout(pool, 1), 5_000); // site B
    }
    List<CallSite> sites = sites(test);
    assertEquals(2, sites.size());
    CallSite a = sites.get(0);
    CallSite b = sites.get(1);
    assertEquals("io.poolscope.agent.tracking.LeaksAndCallSitesTest.everyCheckoutsBorrowLineHasItsOwnHoldTimes", a.function());
    assertEquals("LeaksAndCallSitesTest.java", a.file());
    assertEquals(a.line() + 1, b.line());
    assertEquals(3, a.useTime().snapshot().count);
    assertEquals(3_000, a.useTime().snapshot().sumNanos);
    assertEquals(3, b.useTime().snapshot().count);
    assertEquals(15_000, b.useTime().snapshot().sumNanos);
  }

  @Test
  void onlyEveryNthCheckoutOfAThreadIsSampled() {
    TestTracker test = new TestTracker(SITES_HERE + ",callsite.sample=4,callsite.interval=0");
    for (int i = 0; i < 12; i++) {
      test.hold(test.checkout(pool, 1), 1);
    }
    assertEquals(3, sites(test).get(0).useTime().snapshot().count);
  }

  @Test
  void aPoolCapturesOneSitePerIntervalAcrossItsThreadsAndEachPoolHasItsOwn() throws Exception {
    TestTracker test = new TestTracker(SITES_HERE + ",callsite.sample=1,callsite.interval=1");
    TestDataSource other = new TestDataSource("q");
    test.hold(test.checkout(pool, 1), 1); // captured: the pool's first
    Thread second = new Thread(() -> test.hold(test.checkout(pool, 1), 1)); // same interval: not
    second.start();
    second.join();
    test.hold(test.checkout(other, 1), 1); // captured: another pool's first
    test.clock.addAndGet(1_000_000);
    test.hold(test.checkout(pool, 1), 1); // captured: an interval later
    assertEquals(3, sites(test).stream().mapToLong(site -> site.useTime().snapshot().count).sum());
  }

  @Test
  void sitesPastTheCapShareOther() {
    TestTracker test = new TestTracker(SITES_HERE + ",callsite.sample=1,callsite.interval=0,callsite.max=1");
    test.hold(test.checkout(pool, 1), 1);
    test.hold(test.checkout(pool, 1), 1);
    test.hold(test.checkout(pool, 1), 1);
    List<String> functions =
        sites(test).stream().map(CallSite::function).sorted().collect(Collectors.toList());
    assertEquals(2, functions.size());
    assertEquals(CallSites.OTHER, functions.get(1));
  }

  @Test
  void aCheckoutOpenPastTheThresholdIsOneLeakUntilItComesBack() {
    TestTracker test = new TestTracker(SITES_HERE + ",callsite.sample=1,callsite.interval=0");
    Object leaked = test.checkout(pool, 1);
    test.clock.addAndGet(2_000);
    test.tracker.findLeaks(5_000);
    PoolStats stats = test.tracker.pools().get(0);
    assertEquals(0, stats.leaks());
    assertEquals(2_000, test.tracker.oldestCheckouts().get(stats));

    test.clock.addAndGet(4_000);
    test.tracker.findLeaks(5_000);
    test.tracker.findLeaks(5_000); // flagged once only
    assertEquals(1, stats.leaks());
    assertEquals(1, sites(test).get(0).leaks());

    test.hold(leaked, 1_000);
    assertEquals(0, stats.used());
    assertNull(test.tracker.oldestCheckouts().get(stats));
    assertEquals(7_000, stats.useTime().snapshot().sumNanos);
  }

  @Test
  void anAbandonedConnectionKeepsItsBorrowSite() throws Exception {
    TestTracker test = new TestTracker(SITES_HERE + ",callsite.sample=1,callsite.interval=0");
    test.checkout(pool, 1); // dropped at once
    test.clock.addAndGet(CheckoutTracker.MOVE_AFTER_NANOS); // out of its thread's slot
    PoolStats stats = test.tracker.pools().get(0);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (stats.abandonedCount() == 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
      test.tracker.pools();
    }
    assertEquals(1, stats.abandonedCount());
    assertEquals(1, sites(test).get(0).abandonedCount());
    assertEquals(0, stats.used());
  }
}
