package io.poolscope.agent.tracking;

import io.poolscope.agent.config.Log;
import java.util.concurrent.TimeUnit;

/**
 * A daemon thread that, a few times per leak threshold (at least once a second), moves checkouts held
 * for a second out of their threads' slots into weak records, settles connections collected without
 * close — so their records are freed even while the exporter is stuck on a slow collector — and looks
 * for checkouts open past the leak threshold (0 = no leak detection).
 */
public final class LeakWatcher implements Runnable {

  private final CheckoutTracker tracker;
  private final long thresholdNanos;
  private final long periodMillis;

  private LeakWatcher(CheckoutTracker tracker, long thresholdMillis) {
    this.tracker = tracker;
    this.thresholdNanos = TimeUnit.MILLISECONDS.toNanos(thresholdMillis);
    this.periodMillis =
        thresholdMillis <= 0 ? 1_000 : Math.max(50, Math.min(1_000, thresholdMillis / 4));
  }

  public static void start(CheckoutTracker tracker, long thresholdMillis) {
    Thread thread = new Thread(new LeakWatcher(tracker, thresholdMillis), "poolscope-leak-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    while (true) {
      try {
        Thread.sleep(periodMillis);
        tracker.pools(); // moves long checkouts out of slots, settles collected connections
        if (thresholdNanos > 0) {
          tracker.findLeaks(thresholdNanos);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | LinkageError e) {
        Log.warn("leak detection failed once; it goes on", e);
      }
    }
  }
}
