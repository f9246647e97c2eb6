package io.poolscope.tests.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;

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
    return quantile(values, 0.5);
  }

  /**
   * A distribution-free 95 % confidence interval of the median: the order statistics {@code n/2 ∓
   * 0.98·√n} (the binomial's normal approximation), {lower, upper}; the extremes for few values.
   */
  static double[] medianInterval(List<Double> values) {
    double[] sorted = sorted(values);
    int n = sorted.length;
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    int k = Math.max(1, (int) Math.floor(n / 2.0 - 0.98 * Math.sqrt(n))); // 1-based
    return new double[] {sorted[k - 1], sorted[n - k]};
  }

  /**
   * {@code change(median(after), median(before))} (a quotient, a difference) with a 95 %
   * percentile-bootstrap interval, each list resampled on its own 10,000 times (seeded: the same data
   * give the same interval); {estimate, lower, upper}.
   */
  static double[] medianChange(List<Double> before, List<Double> after, DoubleBinaryOperator change) {
    int resamples = 10_000;
    Random random = new Random(1);
    double[] changes = new double[resamples];
    for (int i = 0; i < resamples; i++) {
      changes[i] = change.applyAsDouble(median(resample(after, random)), median(resample(before, random)));
    }
    Arrays.sort(changes);
    return new double[] {
      change.applyAsDouble(median(after), median(before)),
      changes[resamples / 40],
      changes[resamples - 1 - resamples / 40]
    };
  }

  private static List<Double> resample(List<Double> values, Random random) {
    List<Double> drawn = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      drawn.add(values.get(random.nextInt(values.size())));
    }
    return drawn;
  }

  /** The {@code q} quantile, interpolated between the two nearest values (so q = 0.5 is the median). */
  static double quantile(List<Double> values, double q) {
    double[] sorted = sorted(values);
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double at = q * (sorted.length - 1);
    int below = (int) Math.floor(at);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
  }

  private static double[] sorted(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }
}
