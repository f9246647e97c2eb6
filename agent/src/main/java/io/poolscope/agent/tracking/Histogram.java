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

  /** Per-thread arrays to add in at each snapshot, or null. */
  private final Consumer<Consumer<long[]>> threadCounts;
  /** Which of the two histograms of those arrays is this one's. */
  private final int local;

  public Histogram() {
    this(null, 0);
  }

  /**
   * A histogram recorded partly into per-thread arrays, which {@code threadCounts} hands over;
   * {@code local}: 0 or 1, its place in them.
   */
  Histogram(Consumer<Consumer<long[]>> threadCounts, int local) {
    this.threadCounts = threadCounts;
    this.local = local;
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

  /** Where the counts start, after the two sums; histogram h's count of bucket b is at 2b + h. */
  private static final int LOCAL_COUNTS = PAD + 2;

  /**
   * A per-thread array of two histograms (a pool's waits and holds): padding, both sums, then both
   * counts of each bucket side by side, padding. The sums and the first two buckets, where nearly
   * every checkout records, share one cache line: a checkout after a context switch, when the thread's
   * lines are cold, misses once for both histograms rather than four times.
   */
  static long[] newLocal() {
    return new long[LOCAL_COUNTS + 2 * (BOUNDS_NANOS.length + 1) + PAD];
  }

  /** Records into histogram {@code h} (0 or 1) of a per-thread array; only its thread writes it. */
  static void record(long[] local, int h, long nanos) {
    local[LOCAL_COUNTS + 2 * bucket(nanos) + h]++;
    local[PAD + h] += nanos;
  }

  /** Takes over this histogram's part of a per-thread array whose thread has ended. */
  void add(long[] array) {
    for (int i = 0; i < counts.length; i++) {
      long count = array[LOCAL_COUNTS + 2 * i + local];
      if (count != 0) {
        counts[i].add(count);
      }
    }
    sumNanos.add(array[PAD + local]);
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
          array -> {
            for (int i = 0; i < snapshotCounts.length; i++) {
              snapshotCounts[i] += array[LOCAL_COUNTS + 2 * i + local];
            }
            sum[0] += array[PAD + local];
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
