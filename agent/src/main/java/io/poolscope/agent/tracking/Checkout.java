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

  /** What an exporter kept of a suspected leak, to report when the checkout ends; else null. */
  Object leakReport();

  void leakReport(Object report);
}
