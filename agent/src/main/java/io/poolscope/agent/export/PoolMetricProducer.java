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
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.poolscope.agent.tracking.CallSite;
import io.poolscope.agent.tracking.CheckoutTracker;
import io.poolscope.agent.tracking.ByErrorType;
import io.poolscope.agent.tracking.Histogram;
import io.poolscope.agent.tracking.PhysicalConnection;
import io.poolscope.agent.tracking.PoolProbe;
import io.poolscope.agent.tracking.PoolStats;
import io.poolscope.agent.tracking.Server;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Reads the tracker's live pool figures at each collection and hands them to the SDK as cumulative
 * metrics. The tracker keeps its own lock-free counters, so the checkout path never touches the SDK and
 * nothing is lost while the SDK is still starting.
 */
final class PoolMetricProducer implements MetricProducer {

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> POOL_NAME = Convention.STABLE.poolName;
  static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<Boolean> POOLED = AttributeKey.booleanKey("poolscope.pooled");
  static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function.name");
  static final AttributeKey<String> CODE_FILE = AttributeKey.stringKey("code.file.path");
  static final AttributeKey<Long> CODE_LINE = AttributeKey.longKey("code.line.number");

  /** Physical connections a pool opened on its own threads, until it is known which pool. */
  static final String UNKNOWN_POOL = "_UNKNOWN";

  private final InstrumentationScopeInfo scope;
  private final CheckoutTracker tracker;
  private final List<Convention> conventions;
  private final long startEpochNanos = nowEpochNanos();
  /** Physical-count series exported before: one that empties reports 0 rather than vanishing. */
  private final Set<Attributes> physicalSeries = ConcurrentHashMap.newKeySet();

  PoolMetricProducer(String version, CheckoutTracker tracker, List<Convention> conventions) {
    this.scope = InstrumentationScopeInfo.builder("io.poolscope.agent").setVersion(version).build();
    this.tracker = tracker;
    this.conventions = conventions;
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    Collection<PhysicalConnection> physical = tracker.physicalConnections();
    List<PoolStats> active = new ArrayList<>();
    for (PoolStats pool : tracker.pools()) {
      if (pool.active()) {
        active.add(pool);
      }
    }
    Batch batch = new Batch(resource, nowEpochNanos());
    batch.physical(physical);
    batch.serverLimits(tracker.servers());
    batch.createErrors(tracker.createErrors());
    if (active.isEmpty()) {
      return batch.metrics;
    }
    Map<PoolStats, Long> openByPool = new HashMap<>();
    for (PhysicalConnection connection : physical) {
      if (connection.pool() != null) {
        openByPool.merge(connection.pool(), 1L, Long::sum);
      }
    }
    for (Convention c : conventions) {
      batch.connectionCounts(c, active, openByPool);
      for (PoolProbe.Figure figure : LIMITS.keySet()) {
        batch.sum(c.name(LIMITS.get(figure)), "{connection}", false, "As configured in the pool",
            probed(c, active, figure));
      }
      batch.histogram(c, c.name("create_time"), "Time to open a physical connection",
          active, PoolStats::createTime);
      batch.sum(c.name("pending_requests"), "{request}", false, "Threads waiting in getConnection now",
          pointsOf(c, active, PoolStats::pending));
      batch.sum(c.name("timeouts"), "{timeout}", true, "getConnection calls that timed out",
          errorPoints(c, active, PoolStats::timeouts));
      batch.histogram(c, c.name("wait_time"),
          "Time to obtain a connection: the outermost getConnection; failed ones carry error.type",
          waitPoints(batch, c, active));
      batch.histogram(c, c.name("use_time"), "Time from getConnection's return to the first close",
          active, PoolStats::useTime);
    }
    Convention stable = Convention.STABLE;
    batch.sum("poolscope.connection.errors", "{error}", true,
        "getConnection failures other than timeouts", errorPoints(stable, active, PoolStats::errors));
    Collection<CallSite> sites = tracker.callSites();
    batch.sum("poolscope.connection.abandoned", "{connection}", true,
        "Checked-out connections the app dropped without close",
        bySite(active, sites, PoolStats::abandonedCount, CallSite::abandonedCount));
    batch.sum("poolscope.connection.leaks", "{connection}", true,
        "Checkouts open longer than poolscope.leak.threshold",
        bySite(active, sites, PoolStats::leaks, CallSite::leaks));
    batch.oldestCheckouts(active, tracker.oldestCheckouts());
    List<HistogramPointData> siteUse = new ArrayList<>();
    for (CallSite site : sites) {
      siteUse.add(
          batch.histogramPoint(stable, site.pool().startEpochNanos(), siteAttributes(site).build(),
              site.useTime()));
    }
    batch.histogram(stable, "poolscope.connection.use_time",
        "Hold time by borrow call site (sampled checkouts, see poolscope.callsite.interval)", siteUse);
    return batch.metrics;
  }

  static AttributesBuilder siteAttributes(CallSite site) {
    AttributesBuilder builder =
        Attributes.builder().put(POOL_NAME, site.pool().name()).put(CODE_FUNCTION, site.function());
    if (site.file() != null) {
      builder.put(CODE_FILE, site.file());
    }
    if (site.line() >= 0) {
      builder.put(CODE_LINE, (long) site.line());
    }
    return builder;
  }

  /**
   * A count per call site where the site is known, and the rest of the pool's count (checkouts that
   * were not sampled) in a series with the pool name only, so the series add up to the pool's total.
   */
  private static List<Point> bySite(
      List<PoolStats> pools, Collection<CallSite> sites, Function<PoolStats, Long> poolCount,
      Function<CallSite, Long> siteCount) {
    List<Point> points = new ArrayList<>();
    Map<PoolStats, Long> known = new HashMap<>();
    for (CallSite site : sites) {
      long count = siteCount.apply(site);
      if (count > 0) {
        points.add(new Point(site.pool().startEpochNanos(), siteAttributes(site).build(), count));
        known.merge(site.pool(), count, Long::sum);
      }
    }
    for (PoolStats pool : pools) {
      points.add(
          new Point(pool.startEpochNanos(), Attributes.of(POOL_NAME, pool.name()),
              poolCount.apply(pool) - known.getOrDefault(pool, 0L)));
    }
    return points;
  }

  /** Limits a pool may expose, by metric name suffix. */
  private static final Map<PoolProbe.Figure, String> LIMITS =
      new java.util.EnumMap<>(
          Map.of(
              PoolProbe.Figure.MAX, "max",
              PoolProbe.Figure.IDLE_MAX, "idle.max",
              PoolProbe.Figure.IDLE_MIN, "idle.min"));

  private static List<Point> probed(Convention c, List<PoolStats> pools, PoolProbe.Figure figure) {
    List<Point> points = new ArrayList<>();
    for (PoolStats pool : pools) {
      long value = pool.probe().read(figure);
      if (value >= 0) {
        points.add(new Point(pool.startEpochNanos(), Attributes.of(c.poolName, pool.name()), value));
      }
    }
    return points;
  }

  private static long nowEpochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static List<Point> pointsOf(
      Convention c, List<PoolStats> pools, Function<PoolStats, Long> value) {
    List<Point> points = new ArrayList<>(pools.size());
    for (PoolStats pool : pools) {
      points.add(
          new Point(pool.startEpochNanos(), Attributes.of(c.poolName, pool.name()), value.apply(pool)));
    }
    return points;
  }

  /** Successful waits per pool, and failed ones per pool and error type. */
  private static List<HistogramPointData> waitPoints(Batch batch, Convention c, List<PoolStats> pools) {
    List<HistogramPointData> points = new ArrayList<>();
    for (PoolStats pool : pools) {
      long start = pool.startEpochNanos();
      points.add(batch.histogramPoint(c, start, Attributes.of(c.poolName, pool.name()), pool.waitTime()));
      pool.failedWaitTime().snapshot().forEach(
          (type, histogram) ->
              points.add(
                  batch.histogramPoint(c, start,
                      Attributes.of(c.poolName, pool.name(), ERROR_TYPE, type), histogram)));
    }
    return points;
  }

  private static List<Point> errorPoints(
      Convention c, List<PoolStats> pools, Function<PoolStats, ByErrorType<LongAdder>> counts) {
    List<Point> points = new ArrayList<>();
    for (PoolStats pool : pools) {
      counts.apply(pool).snapshot().forEach(
          (type, count) ->
              points.add(
                  new Point(
                      pool.startEpochNanos(),
                      Attributes.of(c.poolName, pool.name(), ERROR_TYPE, type),
                      count.sum())));
    }
    return points;
  }

  static AttributesBuilder serverAttributes(Server server) {
    AttributesBuilder builder = Attributes.builder();
    if (server == null) {
      return builder;
    }
    builder.put(DB_SYSTEM, server.system()).put(SERVER_ADDRESS, server.address());
    if (server.port() >= 0) {
      builder.put(SERVER_PORT, (long) server.port());
    }
    if (server.database() != null) {
      builder.put(DB_NAMESPACE, server.database());
    }
    return builder;
  }

  /** One value of one series, before it becomes an SDK point. */
  private static final class Point {
    final long startEpochNanos;
    final Attributes attributes;
    final long value;

    Point(long startEpochNanos, Attributes attributes, long value) {
      this.startEpochNanos = startEpochNanos;
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

    /**
     * Used is the checkouts poolscope tracks; idle is what the pool reports, or for a pool that
     * reports nothing, its open physical connections minus those in use.
     */
    void connectionCounts(Convention c, List<PoolStats> pools, Map<PoolStats, Long> openByPool) {
      List<Point> points = new ArrayList<>();
      for (PoolStats pool : pools) {
        long used = pool.used();
        long idle = pool.probe().read(PoolProbe.Figure.IDLE);
        if (idle < 0) {
          idle = Math.max(0, openByPool.getOrDefault(pool, 0L) - used);
        }
        long start = pool.startEpochNanos();
        points.add(new Point(start, Attributes.of(c.poolName, pool.name(), c.state, "used"), used));
        points.add(new Point(start, Attributes.of(c.poolName, pool.name(), c.state, "idle"), idle));
      }
      sum(c.countName, "{connection}", false, "Connections by state: checked out (used) or idle", points);
    }

    void sum(String name, String unit, boolean monotonic, String description, List<Point> points) {
      if (points.isEmpty()) {
        return;
      }
      List<LongPointData> data = new ArrayList<>(points.size());
      for (Point p : points) {
        data.add(ImmutableLongPointData.create(p.startEpochNanos, now, p.attributes, p.value));
      }
      metrics.add(
          ImmutableMetricData.createLongSum(resource, scope, name, description, unit,
              ImmutableSumData.create(monotonic, AggregationTemporality.CUMULATIVE, data)));
    }

    /** Open physical connections by server and pool: the number the server sees from this process. */
    void physical(Collection<PhysicalConnection> connections) {
      Map<Attributes, Long> counts = new LinkedHashMap<>();
      for (PhysicalConnection connection : connections) {
        PoolStats pool = connection.pool();
        Attributes attributes =
            serverAttributes(connection.server())
                .put(POOL_NAME, pool == null ? UNKNOWN_POOL : pool.name())
                .put(POOLED, pool == null ? connection.poolOwned() : pool.pooled())
                .build();
        counts.merge(attributes, 1L, Long::sum);
      }
      for (Attributes seen : physicalSeries) {
        counts.putIfAbsent(seen, 0L);
      }
      for (Attributes attributes : counts.keySet()) {
        // _UNKNOWN only bridges the moments before attribution: it may vanish
        if (!UNKNOWN_POOL.equals(attributes.get(POOL_NAME))) {
          physicalSeries.add(attributes);
        }
      }
      List<Point> points = new ArrayList<>();
      counts.forEach((attributes, count) -> points.add(new Point(startEpochNanos, attributes, count)));
      sum("poolscope.connection.physical.count", "{connection}", false,
          "Open physical connections: what the database server sees from this process", points);
    }

    void oldestCheckouts(List<PoolStats> pools, Map<PoolStats, Long> oldestNanos) {
      List<DoublePointData> points = new ArrayList<>();
      for (PoolStats pool : pools) {
        points.add(
            ImmutableDoublePointData.create(pool.startEpochNanos(), now,
                Attributes.of(POOL_NAME, pool.name()), oldestNanos.getOrDefault(pool, 0L) / 1e9));
      }
      metrics.add(
          ImmutableMetricData.createDoubleGauge(resource, scope,
              "poolscope.connection.oldest_checkout.age", "Age of the oldest open checkout", "s",
              ImmutableGaugeData.create(points)));
    }

    void serverLimits(Collection<Server> servers) {
      List<Point> points = new ArrayList<>();
      for (Server server : servers) {
        if (server.maxConnections() >= 0) {
          points.add(
              new Point(startEpochNanos, serverAttributes(server).build(), server.maxConnections()));
        }
      }
      sum("poolscope.server.connection.limit", "{connection}", false,
          "The server's max_connections, read once", points);
    }

    void createErrors(Map<Server, ByErrorType<LongAdder>> errors) {
      List<Point> points = new ArrayList<>();
      errors.forEach(
          (server, counts) ->
              counts.snapshot().forEach(
                  (type, count) ->
                      points.add(
                          new Point(startEpochNanos,
                              serverAttributes(server).put(ERROR_TYPE, type).build(), count.sum()))));
      sum("poolscope.connection.create_errors", "{error}", true,
          "Physical connections that failed to open", points);
    }

    void histogram(
        Convention c, String name, String description, List<PoolStats> pools,
        Function<PoolStats, Histogram> histogram) {
      List<HistogramPointData> data = new ArrayList<>(pools.size());
      for (PoolStats pool : pools) {
        data.add(
            histogramPoint(c, pool.startEpochNanos(), Attributes.of(c.poolName, pool.name()),
                histogram.apply(pool)));
      }
      histogram(c, name, description, data);
    }

    HistogramPointData histogramPoint(
        Convention c, long start, Attributes attributes, Histogram histogram) {
      Histogram.Snapshot s = histogram.snapshot();
      Long[] counts = new Long[s.counts.length];
      Arrays.setAll(counts, i -> s.counts[i]);
      return ImmutableHistogramPointData.create(start, now, attributes, s.sumNanos * c.scale, false, 0,
          false, 0, c.boundaries, Arrays.asList(counts));
    }

    void histogram(Convention c, String name, String description, List<HistogramPointData> data) {
      if (data.isEmpty()) {
        return;
      }
      metrics.add(
          ImmutableMetricData.createDoubleHistogram(resource, scope, name, description, c.durationUnit,
              ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, data)));
    }
  }
}
