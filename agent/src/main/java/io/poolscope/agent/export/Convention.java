package io.poolscope.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.poolscope.agent.tracking.Histogram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One naming of the pool metrics: the semantic conventions' current names (seconds), or the names
 * before semconv 1.26 (milliseconds), which dashboards built for the OpenTelemetry Java agent still use.
 */
final class Convention {

  static final Convention STABLE =
      new Convention(
          "db.client.connection.",
          AttributeKey.stringKey("db.client.connection.pool.name"),
          AttributeKey.stringKey("db.client.connection.state"),
          "count",
          "s",
          1);

  static final Convention OLD =
      new Convention(
          "db.client.connections.",
          AttributeKey.stringKey("pool.name"),
          AttributeKey.stringKey("state"),
          "usage",
          "ms",
          1000);

  final String prefix;
  final AttributeKey<String> poolName;
  final AttributeKey<String> state;
  final String countName;
  final String durationUnit;
  /** Nanoseconds to {@link #durationUnit}. */
  final double scale;

  final List<Double> boundaries;

  private Convention(
      String prefix,
      AttributeKey<String> poolName,
      AttributeKey<String> state,
      String count,
      String durationUnit,
      double perSecond) {
    this.prefix = prefix;
    this.poolName = poolName;
    this.state = state;
    this.countName = prefix + count;
    this.durationUnit = durationUnit;
    this.scale = perSecond / 1e9;
    List<Double> bounds = new ArrayList<>();
    for (double seconds : Histogram.BOUNDS_SECONDS) {
      bounds.add(seconds * perSecond);
    }
    this.boundaries = Collections.unmodifiableList(bounds);
  }

  String name(String suffix) {
    return prefix + suffix;
  }
}
