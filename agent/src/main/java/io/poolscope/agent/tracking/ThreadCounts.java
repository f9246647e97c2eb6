package io.poolscope.agent.tracking;

/**
 * One thread's wait, hold and create histograms for one pool: plain writes by that thread only, so a checkout
 * updates no shared counter; the exporter adds them up ({@link OpenCheckouts#forEachThreadCounts}).
 */
final class ThreadCounts {

  final PoolStats pool;
  /** Per bucket, then the sum of the recorded nanos last (see {@link Histogram#record(long[], long)}). */
  final long[] wait = Histogram.newLocal();
  final long[] use = Histogram.newLocal();
  /** Physical connections of the pool this thread opened. */
  final long[] create = Histogram.newLocal();

  ThreadCounts(PoolStats pool) {
    this.pool = pool;
  }
}
