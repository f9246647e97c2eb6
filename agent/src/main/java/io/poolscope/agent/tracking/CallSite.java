package io.poolscope.agent.tracking;

import java.util.concurrent.atomic.LongAdder;

/** Where the app borrowed connections of one pool: the first application frame above getConnection. */
public final class CallSite {

  private final PoolStats pool;
  private final String function;
  private final String file;
  private final int line;
  private final Histogram useTime = new Histogram();
  private final LongAdder leaks = new LongAdder();
  private final LongAdder abandoned = new LongAdder();

  CallSite(PoolStats pool, String function, String file, int line) {
    this.pool = pool;
    this.function = function;
    this.file = file;
    this.line = line;
  }

  void returned(long useNanos) {
    useTime.record(useNanos);
  }

  void leaked() {
    leaks.increment();
  }

  void abandoned() {
    abandoned.increment();
  }

  public PoolStats pool() {
    return pool;
  }

  /** {@code class.method}, or {@link CallSites#OTHER} for sites past the cap. */
  public String function() {
    return function;
  }

  /** The source file, or null where the class has no debug information. */
  public String file() {
    return file;
  }

  /** The line, or -1 where unknown. */
  public int line() {
    return line;
  }

  public Histogram useTime() {
    return useTime;
  }

  public long leaks() {
    return leaks.sum();
  }

  public long abandonedCount() {
    return abandoned.sum();
  }

  @Override
  public String toString() {
    return file == null ? function : function + "(" + file + (line >= 0 ? ":" + line : "") + ")";
  }
}
