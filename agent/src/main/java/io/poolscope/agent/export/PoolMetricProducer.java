package io.poolscope.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import io.poolscope.agent.tracking.Histogram;
import io.poolscope.agent.tracking.PoolStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the tracker's live pool figures at each collection and hands them to the SDK as cumulative
 * metrics. The tracker keeps its own lock-free counters, so the checkout path never touches the SDK and
 * nothing is lost while the SDK is still starting.
 */
final class PoolMetricProducer implements MetricProducer {

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final InstrumentationScopeInfo scope;
  private final Supplier<List<PoolStats>> pools;
  private final List<Convention> conventions;

  PoolMetricProducer(String version, Supplier<List<PoolStats>> pools, List<Convention> conventions) {
    this.scope = InstrumentationScopeInfo.builder("io.poolscope.agent").setVersion(version).build();
    this.pools = pools;
    this.conventions = conventions;
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    List<PoolStats> active = new ArrayList<>();
    for (PoolStats pool : pools.get()) {
      if (pool.active()) {
        active.add(pool);
      }
    }
    if (active.isEmpty()) {
      return List.of();
    }
    Batch batch = new Batch(resource, nowEpochNanos());
    for (Convention c : conventions) {
      batch.connectionCounts(c, active);
      batch.sum(c.name("pending_requests"), "{request}", false, "Threads waiting in getConnection now",
          pointsOf(c, active, PoolStats::pending));
      batch.sum(c.name("timeouts"), "{timeout}", true, "getConnection calls that timed out",
          errorPoints(c, active, PoolStats::timeouts));
      batch.histogram(c, c.name("wait_time"), "Time to obtain a connection: the outermost getConnection",
          active, PoolStats::waitTime);
      batch.histogram(c, c.name("use_time"), "Time from getConnection's return to the first close",
          active, PoolStats::useTime);
    }
    Convention stable = Convention.STABLE;
    batch.sum("poolscope.connection.errors", "{error}", true,
        "getConnection failures other than timeouts", errorPoints(stable, active, PoolStats::errors));
    batch.sum("poolscope.connection.abandoned", "{connection}", true,
        "Checked-out connections the app dropped without close",
        pointsOf(stable, active, PoolStats::abandonedCount));
    return batch.metrics;
  }

  private static long nowEpochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static List<Point> pointsOf(
      Convention c, List<PoolStats> pools, Function<PoolStats, Long> value) {
    List<Point> points = new ArrayList<>(pools.size());
    for (PoolStats pool : pools) {
      points.add(new Point(pool, Attributes.of(c.poolName, pool.name()), value.apply(pool)));
    }
    return points;
  }

  private static List<Point> errorPoints(
      Convention c, List<PoolStats> pools, Function<PoolStats, io.poolscope.agent.tracking.ErrorCounts> counts) {
    List<Point> points = new ArrayList<>();
    for (PoolStats pool : pools) {
      for (Map.Entry<String, Long> e : counts.apply(pool).snapshot().entrySet()) {
        points.add(
            new Point(pool, Attributes.of(c.poolName, pool.name(), ERROR_TYPE, e.getKey()), e.getValue()));
      }
    }
    return points;
  }

  /** One value of one pool, before it becomes an SDK point. */
  private static final class Point {
    final PoolStats pool;
    final Attributes attributes;
    final long value;

    Point(PoolStats pool, Attributes attributes, long value) {
      this.pool = pool;
      this.attributes = attributes;
      this.value = value;
    }
  }

  /** The metrics of one collection, all stamped with the same time. */
  private final class Batch {
    final Resource resource;
    final long now;
    final List<MetricData> metrics = new ArrayList<>();

    Batch(Resource resource, long now) {
      this.resource = resource;
      this.now = now;
    }

    void connectionCounts(Convention c, List<PoolStats> pools) {
      List<Point> points = new ArrayList<>();
      for (PoolStats pool : pools) {
        points.add(new Point(pool, Attributes.of(c.poolName, pool.name(), c.state, "used"), pool.used()));
        long idle = pool.idle();
        if (idle >= 0) {
          points.add(new Point(pool, Attributes.of(c.poolName, pool.name(), c.state, "idle"), idle));
        }
      }
      sum(c.countName, "{connection}", false, "Connections by state: checked out (used) or idle", points);
    }

    void sum(String name, String unit, boolean monotonic, String description, List<Point> points) {
      if (points.isEmpty()) {
        return;
      }
      List<LongPointData> data = new ArrayList<>(points.size());
      for (Point p : points) {
        data.add(ImmutableLongPointData.create(p.pool.startEpochNanos(), now, p.attributes, p.value));
      }
      metrics.add(
          ImmutableMetricData.createLongSum(resource, scope, name, description, unit,
              ImmutableSumData.create(monotonic, AggregationTemporality.CUMULATIVE, data)));
    }

    void histogram(
        Convention c, String name, String description, List<PoolStats> pools,
        Function<PoolStats, Histogram> histogram) {
      List<HistogramPointData> data = new ArrayList<>(pools.size());
      for (PoolStats pool : pools) {
        Histogram.Snapshot s = histogram.apply(pool).snapshot();
        Long[] counts = new Long[s.counts.length];
        Arrays.setAll(counts, i -> s.counts[i]);
        data.add(
            ImmutableHistogramPointData.create(pool.startEpochNanos(), now,
                Attributes.of(c.poolName, pool.name()), s.sumNanos * c.scale, false, 0, false, 0,
                c.boundaries, Arrays.asList(counts)));
      }
      metrics.add(
          ImmutableMetricData.createDoubleHistogram(resource, scope, name, description, c.durationUnit,
              ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, data)));
    }
  }
}
