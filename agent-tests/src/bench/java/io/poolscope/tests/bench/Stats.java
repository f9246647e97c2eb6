package io.poolscope.tests.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Small statistics on repeated runs. */
final class Stats {

  private Stats() {}

  /**
   * The variants in the order round {@code round} runs them: each round starts one later, so none
   * always follows the same one (a JVM that just exited, a server its connections just left).
   */
  static <T> List<T> turn(Collection<T> variants, int round) {
    List<T> order = new ArrayList<>(variants);
    Collections.rotate(order, -Math.floorMod(round, order.size()));
    return order;
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
