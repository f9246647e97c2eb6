package io.poolscope.agent.tracking;

import java.lang.ref.WeakReference;

/**
 * What objects of each connection class have been seen doing: handed out by a getConnection, opened
 * by a driver. Lets a close skip map look-ups that could never match (most closes are of a pool's
 * proxy, which is no physical connection). One look-up per class and checkout, a few ns and no lock;
 * held in the class itself, so a webapp's loader can still be collected.
 */
final class ConnectionClasses {

  /** One class's record; each flag is set once, by whichever thread first sees it true. */
  static final class Seen {
    /** Weakly: the record, held in its class, must not keep it alive. */
    private final WeakReference<Class<?>> type;
    /** An object of the class was handed out by a getConnection. */
    volatile boolean checkedOut;
    /** An object of the class was opened by a driver: a physical connection. */
    volatile boolean physical;
    /** The class has a getBackendPID (PostgreSQL); set before {@link #physical}. */
    boolean hasBackendPid;

    Seen(Class<?> type) {
      this.type = new WeakReference<>(type);
    }

    void checkedOut() {
      if (!checkedOut) {
        checkedOut = true;
      }
    }
  }

  private final ClassValue<Seen> seen =
      new ClassValue<Seen>() {
        @Override
        protected Seen computeValue(Class<?> type) {
          return new Seen(type);
        }
      };

  Seen of(Object connection) {
    return seen.get(connection.getClass());
  }

  /**
   * {@code likely}: a record that is probably the connection's (a slot's previous one), checked first.
   * A class value look-up is a chain of loads, each a cache miss in a checkout after a context switch.
   */
  Seen of(Object connection, Seen likely) {
    Class<?> type = connection.getClass();
    return likely != null && likely.type.get() == type ? likely : seen.get(type);
  }
}
