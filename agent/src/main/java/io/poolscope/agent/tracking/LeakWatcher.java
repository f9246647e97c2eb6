package io.poolscope.agent.tracking;

import io.poolscope.agent.config.Log;
import java.util.concurrent.TimeUnit;

/** A daemon thread that looks for checkouts open past the leak threshold, a few times per threshold. */
public final class LeakWatcher implements Runnable {

  private final CheckoutTracker tracker;
  private final long thresholdNanos;
  private final long periodMillis;

  private LeakWatcher(CheckoutTracker tracker, long thresholdMillis) {
    this.tracker = tracker;
    this.thresholdNanos = TimeUnit.MILLISECONDS.toNanos(thresholdMillis);
    this.periodMillis = Math.max(50, Math.min(1_000, thresholdMillis / 4));
  }

  /** Starts watching; a threshold of 0 means leak detection is off. */
  public static void start(CheckoutTracker tracker, long thresholdMillis) {
    if (thresholdMillis <= 0) {
      return;
    }
    Thread thread = new Thread(new LeakWatcher(tracker, thresholdMillis), "poolscope-leak-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    while (true) {
      try {
        Thread.sleep(periodMillis);
        tracker.findLeaks(thresholdNanos);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | LinkageError e) {
        Log.warn("leak detection failed once; it goes on", e);
      }
    }
  }
}
