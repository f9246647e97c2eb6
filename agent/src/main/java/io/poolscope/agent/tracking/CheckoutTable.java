package io.poolscope.agent.tracking;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections checked out now, keyed by identity. The first {@code close()} takes the checkout out
 * (so a second close, or a close racing on another thread, finds nothing); a connection dropped
 * without close is found through its cleared reference and counted as abandoned.
 */
final class CheckoutTable {

  private final ConcurrentHashMap<Object, Checkout> open = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> dropped = new ReferenceQueue<>();

  /** A reusable lookup key per thread, so closing allocates nothing. */
  private final ThreadLocal<Probe> probes = ThreadLocal.withInitial(Probe::new);

  void open(Object connection, PoolStats pool, long nowNanos) {
    expungeDropped();
    Checkout checkout = new Checkout(connection, dropped, pool, nowNanos);
    Checkout previous = open.put(checkout, checkout);
    if (previous != null) {
      // a pool handed out an object the app had not closed: that earlier checkout has ended
      previous.pool.returned(nowNanos - previous.sinceNanos);
    }
  }

  /** Removes and returns the checkout of this connection, or null if it is not checked out. */
  Checkout close(Object connection) {
    Probe probe = probes.get();
    probe.target = connection;
    try {
      return open.remove(probe);
    } finally {
      probe.target = null;
    }
  }

  /** Counts connections the app dropped without closing; cheap when there are none. */
  void expungeDropped() {
    for (Reference<?> ref; (ref = dropped.poll()) != null; ) {
      Checkout checkout = (Checkout) ref;
      if (open.remove(checkout) != null) {
        checkout.pool.abandoned();
      }
    }
  }

  int size() {
    return open.size();
  }

  /** Matches the checkout whose connection is {@code target}, by identity. */
  private static final class Probe {
    Object target;

    @Override
    public int hashCode() {
      return System.identityHashCode(target);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Checkout && ((Checkout) other).get() == target;
    }
  }
}
