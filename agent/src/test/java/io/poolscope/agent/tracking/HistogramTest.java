package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void boundsAreInclusiveUpperLimits() {
    assertEquals(0, Histogram.bucket(0));
    assertEquals(0, Histogram.bucket(100_000)); // exactly 100 µs
    assertEquals(1, Histogram.bucket(100_001));
    assertEquals(Histogram.BOUNDS_SECONDS.length - 1, Histogram.bucket(60_000_000_000L));
    assertEquals(Histogram.BOUNDS_SECONDS.length, Histogram.bucket(60_000_000_001L));
  }

  @Test
  void snapshotCountsAndSums() {
    Histogram histogram = new Histogram();
    histogram.record(50_000);
    histogram.record(2_000_000);
    histogram.record(2_000_000);
    Histogram.Snapshot snapshot = histogram.snapshot();
    assertEquals(3, snapshot.count);
    assertEquals(4_050_000, snapshot.sumNanos);
    long[] expected = new long[Histogram.BOUNDS_SECONDS.length + 1];
    expected[0] = 1;
    expected[4] = 2; // (1 ms, 2.5 ms]
    assertArrayEquals(expected, snapshot.counts);
  }
}
