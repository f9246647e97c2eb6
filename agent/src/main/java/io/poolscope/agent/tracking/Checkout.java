package io.poolscope.agent.tracking;

/**
 * One connection the app holds (or held until the close being reported): what the leak log and the
 * span exporter read. Short checkouts live in a reusable per-thread {@link CheckoutSlot}; those that
 * outlive it become a weakly referenced {@link WeakCheckout}.
 */
public interface Checkout {

  PoolStats pool();

  /** How long getConnection took. */
  long waitNanos();

  /** When getConnection returned (System.nanoTime). */
  long sinceNanos();

  /** The thread that borrowed it. */
  Thread thread();

  /** Where it was borrowed; null when this checkout was not sampled. */
  CallSite site();

  /** Set once by the leak watcher; only a checkout that outlived its slot can be one. */
  boolean leakSuspected();

  /** An exporter's open span for a suspected leak, ended when the connection comes back. */
  Object span();

  void span(Object span);
}
