package io.poolscope.agent.tracking;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * A weak reference that is its own map key by the referent's identity, never the referent's equals: a
 * JDBC object's equals is the driver's business, and the agent must never keep one alive.
 */
public abstract class IdentityRef extends WeakReference<Object> {

  private final int hash;

  IdentityRef(Object referent, ReferenceQueue<Object> queue) {
    super(referent, queue);
    this.hash = System.identityHashCode(referent);
  }

  @Override
  public final int hashCode() {
    return hash;
  }

  /** A cleared reference equals only itself. */
  @Override
  public final boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof IdentityRef)) {
      return false;
    }
    Object referent = get();
    return referent != null && referent == ((IdentityRef) other).get();
  }
}
