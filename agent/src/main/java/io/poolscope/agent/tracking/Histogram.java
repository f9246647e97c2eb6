package io.poolscope.agent.tracking;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A fixed-bucket histogram of durations in nanoseconds: striped counters, so recording is a binary
 * search and two uncontended adds, with no allocation. The checkout path records into per-thread
 * arrays instead (plain adds), which a snapshot adds in.
 */
public final class Histogram {

  /** Upper bounds in seconds, fit for 100 µs to 60 s (a checkout wait or hold). */
  public static final double[] BOUNDS_SECONDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    30, 60
  };

  private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

  static {
    for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
      BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }
  }

  private final LongAdder[] counts = new LongAdder[BOUNDS_NANOS.length + 1];
  private final LongAdder sumNanos = new LongAdder();

  /** Per-thread counts to add in at each snapshot, or null. */
  private final Consumer<Consumer<long[]>> threadCounts;

  public Histogram() {
    this(null);
  }

  /** A histogram recorded partly into per-thread arrays, which {@code threadCounts} hands over. */
  Histogram(Consumer<Consumer<long[]>> threadCounts) {
    this.threadCounts = threadCounts;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  public void record(long nanos) {
    counts[bucket(nanos)].increment();
    sumNanos.add(nanos);
  }

  /**
   * Longs left unused at each end of a per-thread array, so the counts its thread writes share no
   * cache line with another object (see {@link CacheLineAhead}).
   */
  private static final int PAD = 8;

  private static final int LOCAL_SUM = PAD + BOUNDS_NANOS.length + 1;

  /** A per-thread array: padding, one count per bucket, the sum of the recorded nanos, padding. */
  static long[] newLocal() {
    return new long[LOCAL_SUM + 1 + PAD];
  }

  /** Records into a per-thread array; only its thread writes it. */
  static void record(long[] local, long nanos) {
    local[PAD + bucket(nanos)]++;
    local[LOCAL_SUM] += nanos;
  }

  /** Takes over a per-thread array whose thread has ended. */
  void add(long[] local) {
    for (int i = 0; i < counts.length; i++) {
      if (local[PAD + i] != 0) {
        counts[i].add(local[PAD + i]);
      }
    }
    sumNanos.add(local[LOCAL_SUM]);
  }

  /** Index of the first bound {@code >= nanos} (bounds are inclusive upper limits, as in OTLP). */
  static int bucket(long nanos) {
    if (nanos <= BOUNDS_NANOS[0]) {
      return 0; // most waits on a warm pool, and short holds: no search
    }
    int low = 1;
    int high = BOUNDS_NANOS.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (BOUNDS_NANOS[mid] < nanos) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  public Snapshot snapshot() {
    long[] snapshotCounts = new long[counts.length];
    long[] sum = {sumNanos.sum()};
    for (int i = 0; i < counts.length; i++) {
      snapshotCounts[i] = counts[i].sum();
    }
    if (threadCounts != null) {
      threadCounts.accept(
          local -> {
            for (int i = 0; i < snapshotCounts.length; i++) {
              snapshotCounts[i] += local[PAD + i];
            }
            sum[0] += local[LOCAL_SUM];
          });
    }
    long total = 0;
    for (long count : snapshotCounts) {
      total += count;
    }
    return new Snapshot(snapshotCounts, total, sum[0]);
  }

  /** Counts per bucket (one more than the bounds), their total, and the sum of recorded nanos. */
  public static final class Snapshot {
    public final long[] counts;
    public final long count;
    public final long sumNanos;

    Snapshot(long[] counts, long count, long sumNanos) {
      this.counts = counts;
      this.count = count;
      this.sumNanos = sumNanos;
    }
  }
}
