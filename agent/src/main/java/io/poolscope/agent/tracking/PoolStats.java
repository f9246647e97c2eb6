package io.poolscope.agent.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.LongAdder;

/** Live figures of one pool in this process: what the exporter reads, what the hooks update. */
public final class PoolStats {

  private final String name;
  private final boolean pooled;
  private final PoolProbe probe;
  private final long startEpochNanos;
  private volatile Server server;
  /** Counts in-use and waiting at read time, so a checkout updates no shared counter for them. */
  private final OpenCheckouts open;
  private final LongAdder abandoned = new LongAdder();
  private final LongAdder leaks = new LongAdder();
  private final Histogram waitTime;
  private final Histogram useTime;
  private final Histogram createTime;
  private final ByErrorType<LongAdder> timeouts = new ByErrorType<>(LongAdder::new);
  private final ByErrorType<LongAdder> errors = new ByErrorType<>(LongAdder::new);
  private final ByErrorType<Histogram> failedWaitTime = new ByErrorType<>(Histogram::new);
  private volatile boolean active;
  /** When this pool may capture its next borrow site ({@code nanoTime}); 0 before its first. */
  private volatile long nextSiteNanos;

  private static final VarHandle NEXT_SITE;

  static {
    try {
      NEXT_SITE = MethodHandles.lookup().findVarHandle(PoolStats.class, "nextSiteNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  PoolStats(
      String name,
      boolean pooled,
      PoolProbe probe,
      Server server,
      long startEpochNanos,
      OpenCheckouts open) {
    this.open = open;
    this.waitTime = new Histogram(
        local -> open.forEachThreadCounts(this, counts -> local.accept(counts.checkouts)), ThreadCounts.WAIT);
    this.useTime = new Histogram(
        local -> open.forEachThreadCounts(this, counts -> local.accept(counts.checkouts)), ThreadCounts.USE);
    this.createTime = new Histogram(
        local -> open.forEachThreadCounts(this, counts -> local.accept(counts.create)), ThreadCounts.CREATE);
    this.name = name;
    this.pooled = pooled;
    this.probe = probe;
    this.server = server;
    this.startEpochNanos = startEpochNanos;
  }

  /** A thread's first checkout of this pool; waits are recorded in the thread's {@link ThreadCounts}. */
  void checkedOut() {
    activate();
  }

  void checkoutFailed(long waitNanos, Throwable error) {
    activate();
    failedWaitTime.of(error).record(waitNanos);
    (isTimeout(error) ? timeouts : errors).of(error).increment();
  }

  /** A hold that ended off the app's threads (the watcher found the connection handed out again). */
  void returned(long useNanos) {
    useTime.record(useNanos);
  }

  /** A thread ended: its counts move into the shared histograms. */
  void takeOver(ThreadCounts counts) {
    waitTime.add(counts.checkouts);
    useTime.add(counts.checkouts);
    createTime.add(counts.create);
  }

  /** A physical connection of this pool was opened, taking {@code nanos}; found off its thread. */
  void created(long nanos) {
    createTime.record(nanos);
  }

  /** The server this pool connects to, learned from its first physical connection if its URL hid it. */
  void learnServer(Server learned) {
    if (server == null && learned != null) {
      server = learned;
    }
  }

  /** The app dropped a checked-out connection without closing it; the pool may never see it back. */
  void abandoned() {
    abandoned.increment();
  }

  /**
   * Whether the checkout at {@code nowNanos} may walk its stack for its borrow site: one per
   * {@code intervalNanos} across all the pool's threads (every one for 0), so the walks' cost stays
   * bounded when many threads borrow. A read of a field written at most once per interval otherwise.
   */
  boolean claimSiteCapture(long nowNanos, long intervalNanos) {
    if (intervalNanos == 0) {
      return true;
    }
    long next = nextSiteNanos;
    return (next == 0 || nowNanos - next >= 0)
        && NEXT_SITE.compareAndSet(this, next, nowNanos + intervalNanos);
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

  void leaked() {
    leaks.increment();
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

  /** Connections the app holds now. */
  public long used() {
    return open.used(this);
  }

  /** Threads waiting in getConnection now. */
  public long pending() {
    return open.pending(this);
  }

  /** Checkouts that were open past the leak threshold. */
  public long leaks() {
    return leaks.sum();
  }

  public long abandonedCount() {
    return abandoned.sum();
  }

  /** A pool that keeps connections, not a driver's DataSource or DriverManager opening one per use. */
  public boolean pooled() {
    return pooled;
  }

  /** The server, or null until known. */
  public Server server() {
    return server;
  }

  /** What the pool itself tells about its connections and limits. */
  public PoolProbe probe() {
    return probe;
  }

  public Histogram createTime() {
    return createTime;
  }

  /** Waits that ended with a connection. */
  public Histogram waitTime() {
    return waitTime;
  }

  public Histogram useTime() {
    return useTime;
  }

  public ByErrorType<LongAdder> timeouts() {
    return timeouts;
  }

  public ByErrorType<LongAdder> errors() {
    return errors;
  }

  /** Waits that ended in an exception, by its type. */
  public ByErrorType<Histogram> failedWaitTime() {
    return failedWaitTime;
  }
}
