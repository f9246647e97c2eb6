package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Checkouts leave their thread's slots in every way an app can end them, and each is counted once. */
class OpenCheckoutsTest {

  private final TestTracker test = new TestTracker("server.limit=false");
  private final TestDataSource pool = new TestDataSource("orders");

  private PoolStats stats() {
    return test.tracker.pools().get(0);
  }

  private void assertAllReturned(int checkouts, long useNanosEach) {
    PoolStats stats = stats();
    assertEquals(0, stats.used());
    assertEquals(0, test.tracker.openCheckouts());
    assertEquals(checkouts, stats.waitTime().snapshot().count); // also those of ended threads
    assertEquals(checkouts, stats.useTime().snapshot().count);
    assertEquals(checkouts * useNanosEach, stats.useTime().snapshot().sumNanos);
  }

  @Test
  void closedOnAnotherThread() {
    Object connection = test.checkout(pool, 1);
    test.clock.addAndGet(700);
    CompletableFuture.runAsync(() -> test.tracker.connectionClose(connection)).join();
    test.tracker.connectionClose(connection); // a second close finds nothing
    assertAllReturned(1, 700);
  }

  @Test
  void heldPastTheSlotThenClosed() {
    Object connection = test.checkout(pool, 1);
    test.clock.addAndGet(CheckoutTracker.MOVE_AFTER_NANOS);
    stats(); // the watcher's pass moves it into a weak record
    assertEquals(1, test.tracker.openCheckouts());
    test.hold(connection, 5);
    assertAllReturned(1, CheckoutTracker.MOVE_AFTER_NANOS + 5);
  }

  @Test
  void moreOpenAtOnceThanAThreadHasSlots() {
    List<Object> held = new ArrayList<>();
    for (int i = 0; i < 3 * OpenCheckouts.MAX_SLOTS; i++) {
      held.add(test.checkout(pool, 0));
    }
    assertEquals(held.size(), stats().used());
    test.clock.addAndGet(10);
    for (int i = held.size() - 1; i >= 0; i--) {
      test.tracker.connectionClose(held.get(i));
    }
    assertAllReturned(held.size(), 10);
  }

  @Test
  void borrowedOnAThreadThatEndedThenClosedHere() throws Exception {
    Object[] connection = new Object[1];
    Thread borrower = new Thread(() -> connection[0] = test.checkout(pool, 1));
    borrower.start();
    borrower.join();
    stats(); // the watcher's pass moves what an ended thread still held
    assertEquals(1, test.tracker.openCheckouts());
    test.hold(connection[0], 40);
    assertAllReturned(1, 40);
  }

  @Test
  void aPoolHandingOutTheSameObjectEndsTheEarlierCheckout() {
    Object connection = new Object();
    for (int i = 0; i < 3; i++) {
      Object state = test.tracker.getConnectionEnter(pool);
      test.tracker.getConnectionExit(state, connection, null);
      test.clock.addAndGet(20);
    }
    assertEquals(1, stats().used());
    test.tracker.connectionClose(connection);
    assertAllReturned(3, 20);
  }
}
