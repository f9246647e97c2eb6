package io.poolscope.agent.tracking;

/**
 * Per-thread state of the getConnection calls in progress. Only the outermost call is a checkout; the
 * calls nested in it (a wrapper calling a pool, a pool calling a driver) only tell which pool it is.
 */
final class CallStack {

  /** Nesting depth of getConnection on this thread; plain int, only this thread touches it. */
  int depth;

  /** The outermost call is a provider filling a pool: nothing in it counts. */
  boolean ignored;

  /** When the outermost call started. */
  long startNanos;

  /** The deepest pool seen so far in the outermost call, where its wait is counted as pending. */
  DataSourceEntry poolEntry;

  PoolStats pool;

  /** Checkouts left on this thread until the next borrow site capture. */
  int untilCapture;

  /** Nesting depth of Driver.connect on this thread (a wrapping driver calls the real one). */
  int connectDepth;

  /** When the outermost Driver.connect started. */
  long connectStartNanos;
}
