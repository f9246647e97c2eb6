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

  @Test
  void twoHistogramsShareAPerThreadArrayWithoutMixing() {
    long[] local = Histogram.newLocal();
    Histogram waits = new Histogram(each -> each.accept(local), 0);
    Histogram holds = new Histogram(each -> each.accept(local), 1);
    Histogram.record(local, 0, 50_000);
    Histogram.record(local, 1, 200_000); // (100 µs, 250 µs]
    Histogram.record(local, 1, 70_000_000_000L); // past the last bound

    Histogram.Snapshot waited = waits.snapshot();
    long[] expectedWaits = new long[Histogram.BOUNDS_SECONDS.length + 1];
    expectedWaits[0] = 1;
    assertArrayEquals(expectedWaits, waited.counts);
    assertEquals(1, waited.count);
    assertEquals(50_000, waited.sumNanos);

    Histogram.Snapshot held = holds.snapshot();
    long[] expectedHolds = new long[Histogram.BOUNDS_SECONDS.length + 1];
    expectedHolds[1] = 1;
    expectedHolds[Histogram.BOUNDS_SECONDS.length] = 1;
    assertArrayEquals(expectedHolds, held.counts);
    assertEquals(70_000_200_000L, held.sumNanos);

    // a thread that ended: its part of the array moves into the shared counters, the same figures
    Histogram takenOver = new Histogram(each -> {}, 1);
    takenOver.add(local);
    assertArrayEquals(expectedHolds, takenOver.snapshot().counts);
    assertEquals(70_000_200_000L, takenOver.snapshot().sumNanos);
  }
}
