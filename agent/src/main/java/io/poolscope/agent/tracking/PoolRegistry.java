package io.poolscope.agent.tracking;

import io.poolscope.agent.config.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Maps DataSource instances to their entries and pools. The lookup on every getConnection is an
 * identity scan of a small copy-on-write array (an app has a handful of DataSources), so it neither
 * allocates nor locks; registering a new DataSource is the rare, synchronized path.
 */
final class PoolRegistry {

  /** Pools past the cap share this name, so an app building a DataSource per request stays bounded. */
  static final String OVERFLOW_POOL = "_OTHER";

  /** Live DataSources kept for fast lookup; beyond it, overflow DataSources take the slow path. */
  private static final int MAX_ENTRIES = 256;

  private final RoleClassifier classifier;
  private final int maxPools;
  private final LongSupplier epochNanos;
  private final OpenCheckouts open;
  private final List<PoolStats> pools = new CopyOnWriteArrayList<>();
  private final Set<String> names = new HashSet<>();
  private volatile DataSourceEntry[] entries = new DataSourceEntry[0];
  private final Map<Server, PoolStats> unpooled = new HashMap<>();
  private PoolStats overflow;

  PoolRegistry(
      RoleClassifier classifier, int maxPools, LongSupplier epochNanos, OpenCheckouts open) {
    this.open = open;
    this.classifier = classifier;
    this.maxPools = maxPools;
    this.epochNanos = epochNanos;
  }

  DataSourceEntry entry(Object dataSource, boolean outermost) {
    DataSourceEntry found = find(entries, dataSource);
    return found != null ? found : register(dataSource, outermost);
  }

  private static DataSourceEntry find(DataSourceEntry[] snapshot, Object dataSource) {
    for (DataSourceEntry entry : snapshot) {
      if (entry.get() == dataSource) {
        return entry;
      }
    }
    return null;
  }

  private synchronized DataSourceEntry register(Object dataSource, boolean outermost) {
    DataSourceEntry found = find(entries, dataSource);
    if (found != null) {
      return found;
    }
    DataSourceEntry entry = new DataSourceEntry(dataSource, classifier.classify(dataSource, outermost));
    List<DataSourceEntry> live = new ArrayList<>(entries.length + 1);
    for (DataSourceEntry existing : entries) {
      if (existing.get() != null) {
        live.add(existing);
      }
    }
    if (live.size() < MAX_ENTRIES) {
      live.add(entry);
    }
    entries = live.toArray(new DataSourceEntry[0]);
    return entry;
  }

  PoolStats pool(DataSourceEntry entry, Object dataSource) {
    PoolStats pool = entry.pool;
    return pool != null ? pool : assignPool(entry, dataSource);
  }

  private synchronized PoolStats assignPool(DataSourceEntry entry, Object dataSource) {
    if (entry.pool != null) {
      return entry.pool;
    }
    PoolStats pool;
    if (hasRoom()) {
      boolean pooled = entry.role == Role.POOL;
      pool =
          newPool(
              PoolNames.of(dataSource, !pooled),
              pooled,
              pooled ? PoolProbe.of(dataSource) : PoolProbe.NONE,
              PoolNames.server(dataSource));
    } else {
      pool = overflowPool();
    }
    entry.pool = pool;
    return pool;
  }

  private boolean hasRoom() {
    return pools.size() - (overflow == null ? 0 : 1) < maxPools;
  }

  private PoolStats overflowPool() {
    if (overflow == null) {
      Log.warn(
          "more than poolscope.pools.max="
              + maxPools
              + " pools in this process; further pools are reported together as pool "
              + OVERFLOW_POOL);
      overflow = newPool(OVERFLOW_POOL, true, PoolProbe.NONE, null);
    }
    return overflow;
  }

  /**
   * The pool of connections the app opens itself, outside any DataSource ({@code DriverManager}): one
   * per server, each connection a checkout of its own.
   */
  synchronized PoolStats unpooled(Server server) {
    PoolStats pool = unpooled.get(server);
    if (pool == null) {
      pool =
          hasRoom()
              ? newPool(server.name(), false, PoolProbe.NONE, server)
              : overflowPool();
      unpooled.put(server, pool);
    }
    return pool;
  }

  private PoolStats newPool(String name, boolean pooled, PoolProbe probe, Server server) {
    PoolStats pool = new PoolStats(unique(name), pooled, probe, server, epochNanos.getAsLong(), open);
    pools.add(pool);
    return pool;
  }

  /** Distinct pool instances get distinct names: the second {@code x} is {@code x#2}. */
  private String unique(String name) {
    String candidate = name;
    for (int n = 2; !names.add(candidate); n++) {
      candidate = name + "#" + n;
    }
    return candidate;
  }

  /** Every pool that has had a checkout, in order of appearance. */
  List<PoolStats> pools() {
    return pools;
  }
}
