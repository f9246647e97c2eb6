package io.poolscope.agent.tracking;

/**
 * What objects of each connection class have been seen doing: handed out by a getConnection, opened
 * by a driver. Lets a close skip map look-ups that could never match (most closes are of a pool's
 * proxy, which is no physical connection). One look-up per class and checkout, a few ns and no lock;
 * held in the class itself, so a webapp's loader can still be collected.
 */
final class ConnectionClasses {

  /** One class's record; each flag is set once, by whichever thread first sees it true. */
  static final class Seen {
    /** An object of the class was handed out by a getConnection. */
    volatile boolean checkedOut;
    /** An object of the class was opened by a driver: a physical connection. */
    volatile boolean physical;

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
          return new Seen();
        }
      };

  Seen of(Object connection) {
    return seen.get(connection.getClass());
  }
}
