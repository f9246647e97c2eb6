package io.poolscope.agent.tracking;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * One connection the app holds now. It references the connection weakly: the agent never keeps a
 * connection alive, and one the app drops without {@code close()} arrives on the queue as abandoned.
 */
final class Checkout extends WeakReference<Object> {

  final PoolStats pool;
  final long sinceNanos;
  private final int hash;

  Checkout(Object connection, ReferenceQueue<Object> dropped, PoolStats pool, long sinceNanos) {
    super(connection, dropped);
    this.pool = pool;
    this.sinceNanos = sinceNanos;
    this.hash = System.identityHashCode(connection);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Identity of the connections, never their own equals: a cleared checkout equals only itself. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Checkout)) {
      return false;
    }
    Object connection = get();
    return connection != null && connection == ((Checkout) other).get();
  }
}
