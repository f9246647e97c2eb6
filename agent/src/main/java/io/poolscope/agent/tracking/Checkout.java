package io.poolscope.agent.tracking;

import java.lang.ref.ReferenceQueue;

/**
 * One connection the app holds now, referenced weakly: one the app drops without {@code close()}
 * arrives on the queue as abandoned.
 */
final class Checkout extends IdentityRef {

  final PoolStats pool;
  final long sinceNanos;

  Checkout(Object connection, ReferenceQueue<Object> dropped, PoolStats pool, long sinceNanos) {
    super(connection, dropped);
    this.pool = pool;
    this.sinceNanos = sinceNanos;
  }

  /** Collected while checked out: the app dropped the connection without closing it. */
  void abandoned() {
    pool.abandoned();
  }
}
