package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

  /**
   * Threads whose ids share a place in the by-id table each get their own state (the later one
   * through the thread local), and a thread started after one of its place ended never gets the
   * ended one's.
   */
  @Test
  void threadsSharingAPlaceByIdKeepTheirOwnState() throws Exception {
    ConnectionClasses classes = new ConnectionClasses();
    OpenCheckouts open = new OpenCheckouts(classes, new PhysicalConnections(false, classes));
    CallStack[] states = new CallStack[5];
    CountDownLatch firstHas = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    Thread first = new Thread(() -> {
      states[0] = open.current();
      states[1] = open.current();
      firstHas.countDown();
      awaitQuietly(secondDone);
    });
    Thread second = threadAtPlaceOf(first, () -> {
      states[2] = open.current();
      states[3] = open.current();
    });
    first.start();
    firstHas.await();
    second.start();
    second.join();
    secondDone.countDown();
    first.join();
    Thread third = threadAtPlaceOf(first, () -> states[4] = open.current());
    third.start();
    third.join();

    assertSame(first, states[0].owner);
    assertSame(states[0], states[1]);
    assertSame(second, states[2].owner);
    assertSame(states[2], states[3]);
    assertSame(third, states[4].owner);
    assertNotSame(states[0], states[4]);
  }

  /** A new thread whose id falls in the same place of the by-id table as {@code other}'s. */
  private static Thread threadAtPlaceOf(Thread other, Runnable body) {
    while (true) {
      Thread thread = new Thread(body);
      if ((thread.getId() - other.getId()) % OpenCheckouts.BY_THREAD_ID == 0) {
        return thread;
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
