package io.poolscope.agent.tracking;

/**
 * One bit per class, set once and read on the hot path (a few ns, no lock): has an object of this class
 * ever played a role, say a checked-out or a physical connection. Lets a close skip map look-ups that
 * could never match. Held in the class itself, so a webapp's loader can still be collected.
 */
final class ClassFlag {

  private static final class Bit {
    volatile boolean set;
  }

  private final ClassValue<Bit> bits =
      new ClassValue<Bit>() {
        @Override
        protected Bit computeValue(Class<?> type) {
          return new Bit();
        }
      };

  void set(Class<?> type) {
    Bit bit = bits.get(type);
    if (!bit.set) {
      bit.set = true;
    }
  }

  boolean isSet(Class<?> type) {
    return bits.get(type).set;
  }
}
