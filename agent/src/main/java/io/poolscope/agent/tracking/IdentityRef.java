package io.poolscope.agent.tracking;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * A weak reference that is its own map key by the referent's identity, never the referent's equals: a
 * JDBC object's equals is the driver's business, and the agent must never keep one alive.
 */
public abstract class IdentityRef extends WeakReference<Object> {

  /**
   * Taken when first asked, which is when the record enters a table, with the referent alive: a
   * record that never does (made for an export while its connection is still its checkout's) never pays for it. Volatile,
   * so a thread that meets the record later (through the reference queue) sees it; 0 = not yet
   * (HotSpot never hands out 0 as an identity hash).
   */
  private volatile int hash;

  IdentityRef(Object referent, ReferenceQueue<Object> queue) {
    super(referent, queue);
  }

  @Override
  public final int hashCode() {
    int h = hash;
    if (h == 0) {
      h = System.identityHashCode(get());
      hash = h;
    }
    return h;
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
