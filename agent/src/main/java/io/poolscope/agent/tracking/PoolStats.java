package io.poolscope.agent.tracking;

import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.LongAdder;

/** Live figures of one pool in this process: what the exporter reads, what the hooks update. */
public final class PoolStats {

  private final String name;
  private final IdleProbe idle;
  private final long startEpochNanos;
  private final LongAdder used = new LongAdder();
  private final LongAdder pending = new LongAdder();
  private final LongAdder abandoned = new LongAdder();
  private final Histogram waitTime = new Histogram();
  private final Histogram useTime = new Histogram();
  private final ErrorCounts timeouts = new ErrorCounts();
  private final ErrorCounts errors = new ErrorCounts();
  private volatile boolean active;

  PoolStats(String name, IdleProbe idle, long startEpochNanos) {
    this.name = name;
    this.idle = idle;
    this.startEpochNanos = startEpochNanos;
  }

  void waitStarted() {
    pending.increment();
  }

  void waitEnded() {
    pending.decrement();
  }

  void checkedOut(long waitNanos) {
    activate();
    waitTime.record(waitNanos);
    used.increment();
  }

  void checkoutFailed(long waitNanos, Throwable error) {
    activate();
    waitTime.record(waitNanos);
    if (isTimeout(error)) {
      timeouts.increment(error);
    } else {
      errors.increment(error);
    }
  }

  void returned(long useNanos) {
    used.decrement();
    useTime.record(useNanos);
  }

  /** The app dropped a checked-out connection without closing it; the pool may never see it back. */
  void abandoned() {
    used.decrement();
    abandoned.increment();
  }

  /** A wrapper's pool only ever sees waits handed on to the pool below it: it stays inactive. */
  private void activate() {
    if (!active) {
      active = true;
    }
  }

  /** Has had a checkout or a failed one: worth exporting. */
  public boolean active() {
    return active;
  }

  static boolean isTimeout(Throwable error) {
    return error instanceof SQLTransientConnectionException || error instanceof SQLTimeoutException;
  }

  public String name() {
    return name;
  }

  /** When counting started, for cumulative points. */
  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long used() {
    return used.sum();
  }

  public long pending() {
    return pending.sum();
  }

  public long abandonedCount() {
    return abandoned.sum();
  }

  /** Idle connections as the pool itself reports them, or -1 where the pool can't tell. */
  public long idle() {
    return idle.idle();
  }

  public Histogram waitTime() {
    return waitTime;
  }

  public Histogram useTime() {
    return useTime;
  }

  public ErrorCounts timeouts() {
    return timeouts;
  }

  public ErrorCounts errors() {
    return errors;
  }
}
