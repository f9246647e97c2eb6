package io.poolscope.agent.tracking;

import java.lang.ref.ReferenceQueue;

/**
 * One connection the app holds now, referenced weakly: one the app drops without {@code close()}
 * arrives on the queue as abandoned.
 */
public final class Checkout extends IdentityRef {

  final PoolStats pool;
  final long waitNanos;
  final long sinceNanos;
  final Thread thread;

  /** Where it was borrowed; null when this checkout was not sampled. */
  final CallSite site;

  /** Set once by the leak watcher; read when it comes back. */
  volatile boolean leakSuspected;

  /** An exporter's open span for a suspected leak, ended when the connection comes back. */
  volatile Object span;

  Checkout(
      Object connection,
      ReferenceQueue<Object> dropped,
      PoolStats pool,
      long waitNanos,
      long sinceNanos,
      CallSite site) {
    super(connection, dropped);
    this.pool = pool;
    this.waitNanos = waitNanos;
    this.sinceNanos = sinceNanos;
    this.thread = Thread.currentThread();
    this.site = site;
  }

  public PoolStats pool() {
    return pool;
  }

  /** How long getConnection took. */
  public long waitNanos() {
    return waitNanos;
  }

  /** When getConnection returned (System.nanoTime). */
  public long sinceNanos() {
    return sinceNanos;
  }

  /** The thread that borrowed it. */
  public Thread thread() {
    return thread;
  }

  public CallSite site() {
    return site;
  }

  public Object span() {
    return span;
  }

  public void span(Object span) {
    this.span = span;
  }
}
