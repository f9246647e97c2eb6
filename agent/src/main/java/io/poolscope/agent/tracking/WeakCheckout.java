package io.poolscope.agent.tracking;

import java.lang.ref.ReferenceQueue;

/**
 * A checkout that outlived its per-thread slot (held long, or its thread ended), referenced weakly: a
 * connection the app drops without {@code close()} arrives on the queue as abandoned.
 */
final class WeakCheckout extends IdentityRef implements Checkout {

  final PoolStats pool;
  final long waitNanos;
  final long sinceNanos;
  final Thread thread;

  /** Where it was borrowed; null when this checkout was not sampled. */
  final CallSite site;

  volatile boolean leakSuspected;
  volatile Object leakReport;

  WeakCheckout(
      Object connection,
      ReferenceQueue<Object> dropped,
      PoolStats pool,
      long waitNanos,
      long sinceNanos,
      Thread thread,
      CallSite site) {
    super(connection, dropped);
    this.pool = pool;
    this.waitNanos = waitNanos;
    this.sinceNanos = sinceNanos;
    this.thread = thread;
    this.site = site;
  }

  @Override
  public PoolStats pool() {
    return pool;
  }

  @Override
  public long waitNanos() {
    return waitNanos;
  }

  @Override
  public long sinceNanos() {
    return sinceNanos;
  }

  @Override
  public Thread thread() {
    return thread;
  }

  @Override
  public CallSite site() {
    return site;
  }

  @Override
  public Object leakReport() {
    return leakReport;
  }

  @Override
  public boolean leakSuspected() {
    return leakSuspected;
  }

  @Override
  public void leakReport(Object report) {
    this.leakReport = report;
  }
}
