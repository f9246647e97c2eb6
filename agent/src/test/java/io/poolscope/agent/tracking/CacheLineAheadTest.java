package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sun.misc.Unsafe;

/**
 * The records a thread writes on every checkout keep all their fields a cache line away from either
 * end of the object, wherever this JVM's field layout puts them.
 */
class CacheLineAheadTest {

  private static final int LINE = 64;

  static Stream<Object> records() {
    return Stream.of(CallStack.create(), CheckoutSlot.create(Thread.currentThread()));
  }

  @ParameterizedTest
  @MethodSource("records")
  void everyFieldLiesBetweenThePaddings(Object record) throws ReflectiveOperationException {
    Unsafe unsafe = unsafe();
    Class<?> padded = record.getClass();
    long aheadStart = unsafe.objectFieldOffset(CacheLineAhead.class.getDeclaredField("ahead0"));
    long behindStart = unsafe.objectFieldOffset(padded.getDeclaredField("behind0"));
    for (Field field : padded.getSuperclass().getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        long offset = unsafe.objectFieldOffset(field);
        assertTrue(
            offset >= aheadStart + LINE && offset < behindStart,
            field.getName() + " at offset " + offset + ": padding starts at " + aheadStart + " and "
                + behindStart);
      }
    }
  }

  private static Unsafe unsafe() throws ReflectiveOperationException {
    Field theUnsafe = Unsafe.class.getDeclaredField("theUnsafe");
    theUnsafe.setAccessible(true);
    return (Unsafe) theUnsafe.get(null);
  }
}
