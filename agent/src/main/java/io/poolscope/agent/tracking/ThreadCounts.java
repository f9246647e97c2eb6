package io.poolscope.agent.tracking;

/**
 * One thread's wait, hold and create histograms for one pool: plain writes by that thread only, so a checkout
 * updates no shared counter; the exporter adds them up ({@link OpenCheckouts#forEachThreadCounts}).
 */
final class ThreadCounts {

  /** The places of the histograms in their arrays (see {@link Histogram#newLocal()}). */
  static final int WAIT = 0;
  static final int USE = 1;
  static final int CREATE = 0;

  final PoolStats pool;
  /** Waits and holds, side by side: a checkout and its close record into the same cache line. */
  final long[] checkouts = Histogram.newLocal();
  /** Physical connections of the pool this thread opened. */
  final long[] create = Histogram.newLocal();
  /** Whether this thread has checked out of the pool: only its first checkout tells the pool. */
  boolean checkedOut;

  ThreadCounts(PoolStats pool) {
    this.pool = pool;
  }
}
