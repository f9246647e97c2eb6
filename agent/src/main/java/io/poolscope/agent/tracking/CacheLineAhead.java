package io.poolscope.agent.tracking;

/**
 * 64 bytes ahead of the fields of a record one thread writes on every checkout ({@link CallStack},
 * {@link CheckoutSlot}); their subclasses add the same behind. Without it the record may share a
 * cache line with an object other threads read on every checkout (a pool's figures, a class's flags),
 * depending on where the allocator or the GC put them: the 2-thread unpooled cycle measured 190 to
 * 680 ns from run to run without the padding, 130 to 157 ns with it.
 */
abstract class CacheLineAhead {
  /**
   * Takes the 4 bytes between the object header and the first long, where the JVM (15 and later)
   * would otherwise put a subclass's int or reference: {@code CallStack.depth} sat there, ahead of the
   * padding, and a 2-thread pooled fork took 200 to 410 ns depending on its neighbours.
   */
  int gap;

  long ahead0, ahead1, ahead2, ahead3, ahead4, ahead5, ahead6, ahead7;
}
