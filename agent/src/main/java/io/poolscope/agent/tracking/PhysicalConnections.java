package io.poolscope.agent.tracking;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every physical connection open in this process, the number the database server sees from it.
 * Each is attributed to the pool that holds it: directly when it is opened inside that pool's
 * getConnection, otherwise (a pool filling itself on its own threads) at the next export, to the one
 * active pool of that server.
 */
final class PhysicalConnections {

  private final IdentityTable<PhysicalConnection> open = new IdentityTable<>();
  private final Map<Server, Server> servers = new ConcurrentHashMap<>();

  /**
   * URLs already parsed, so a connection per checkout (no pool) does not run the URL regex each time;
   * one that names no server poolscope can parse (another database's syntax) maps to empty.
   */
  private final Map<String, Optional<Server>> byUrl = new ConcurrentHashMap<>();

  private static final int MAX_URLS = 256;
  private final Map<Server, ByErrorType<LongAdder>> createErrors = new ConcurrentHashMap<>();
  private final boolean readServerLimit;
  /**
   * Classes of physical connections seen, to find one behind a pool's proxy by unwrapping; weakly
   * held, so a webapp's class loader can still be collected when the app drops it.
   */
  private final Set<Class<?>> classes = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final ConnectionClasses connectionClasses;

  PhysicalConnections(boolean readServerLimit, ConnectionClasses connectionClasses) {
    this.readServerLimit = readServerLimit;
    this.connectionClasses = connectionClasses;
  }

  /** The one shared instance per server, so its limit is read and kept once. */
  Server server(String url) {
    if (url == null) {
      return null;
    }
    Optional<Server> known = byUrl.get(url);
    if (known != null) {
      return known.orElse(null);
    }
    Server parsed = Server.fromJdbcUrl(url);
    Server shared = parsed == null ? null : servers.computeIfAbsent(parsed, s -> s);
    if (byUrl.size() < MAX_URLS) {
      byUrl.put(url, Optional.ofNullable(shared));
    }
    return shared;
  }

  /**
   * Counts a connection just opened and learns what it tells (its class is a physical connection's,
   * its server's limit); returns its server process id (PostgreSQL), or -1. Its record is then made
   * by {@link #record} for the table, or kept in a checkout slot while the connection is the checkout
   * itself. {@code likely}: probably the record of its class (see {@link ConnectionClasses#of(Object,
   * ConnectionClasses.Seen)}), or null. {@code createCounts}: the opening thread's create-time counts of
   * {@code pool} (null: no pool yet).
   */
  long opened(
      Object connection,
      ConnectionClasses.Seen likely,
      Server server,
      long createNanos,
      PoolStats pool,
      long[] createCounts) {
    ConnectionClasses.Seen seen = connectionClasses.of(connection, likely);
    if (!seen.physical) {
      seen.hasBackendPid = BACKEND_PID.get(connection.getClass()).isPresent();
      seen.physical = true; // after: whoever reads it true sees hasBackendPid
      classes.add(connection.getClass());
    }
    if (pool != null) {
      Histogram.record(createCounts, ThreadCounts.CREATE, createNanos);
      pool.learnServer(server);
    }
    if (server != null && readServerLimit && server.isPostgres() && server.claimLimitRead()) {
      readLimit(server, connection);
    }
    return seen.hasBackendPid ? backendPid(connection) : -1; // no look-up for other classes
  }

  PhysicalConnection record(
      Object connection,
      Server server,
      long createNanos,
      long backendPid,
      boolean poolOwned,
      PoolStats pool) {
    return new PhysicalConnection(
        connection, open.queue(), server, createNanos, backendPid, poolOwned, pool);
  }

  /** The record of the connection a slot holds as its own checkout (see {@link CheckoutSlot#open}). */
  PhysicalConnection record(CheckoutSlot slot) {
    return record(slot.connection, slot.server, slot.createNanos, slot.backendPid, false, slot.pool);
  }

  void add(PhysicalConnection physical) {
    // connections collected without close are dropped here too, not only at export: bounded memory
    // even with metrics off
    open.drainDropped(dropped -> {});
    open.put(physical);
  }

  void failed(Server server, Throwable error) {
    if (server != null) {
      createErrors.computeIfAbsent(server, s -> new ByErrorType<>(LongAdder::new)).of(error).increment();
    }
  }

  /**
   * The physical connection behind {@code connection}: itself, or what a pool's proxy unwraps to (JDBC
   * {@code Wrapper}). Rare path (spans); the connection must still be open.
   */
  PhysicalConnection behind(Object connection) {
    PhysicalConnection found = open.find(connection);
    if (found != null || !(connection instanceof Connection)) {
      return found;
    }
    for (Class<?> type : classesSeen()) {
      try {
        Connection wrapper = (Connection) connection;
        if (wrapper.isWrapperFor(type)) {
          found = open.find(wrapper.unwrap(type));
          if (found != null) {
            return found;
          }
        }
      } catch (Exception | LinkageError e) {
        // a proxy that cannot unwrap: no backend to tell
      }
    }
    return null;
  }

  private List<Class<?>> classesSeen() {
    synchronized (classes) {
      return new ArrayList<>(classes);
    }
  }

  /** A physical connection in the table was closed (if it is there). */
  void closed(Object connection) {
    open.remove(connection);
  }

  /**
   * Brings the table up to date for an export: forgets connections collected without close (the
   * server has lost them too) and attributes pool-owned ones to the only pool they can belong to.
   */
  synchronized List<PhysicalConnection> settle(List<PoolStats> pools) {
    open.drainDropped(physical -> {});
    for (PhysicalConnection physical : open.records()) {
      if (physical.pool == null && physical.poolOwned) {
        PoolStats owner = onlyCandidate(physical.server, pools);
        if (owner != null) {
          attribute(physical, owner);
        }
      }
    }
    return new ArrayList<>(open.records());
  }

  Map<Server, ByErrorType<LongAdder>> createErrors() {
    return createErrors;
  }

  Collection<Server> servers() {
    return servers.values();
  }

  /** A connection a pool opened on its own threads, attributed at an export. */
  private static void attribute(PhysicalConnection physical, PoolStats pool) {
    physical.pool = pool;
    pool.created(physical.createNanos);
    pool.learnServer(physical.server);
  }

  /** The single active pool on that server, else the single active pool whose server is unknown. */
  private static PoolStats onlyCandidate(Server server, List<PoolStats> pools) {
    List<PoolStats> sameServer = new ArrayList<>();
    List<PoolStats> unknownServer = new ArrayList<>();
    for (PoolStats pool : pools) {
      if (pool.pooled() && pool.active()) {
        if (pool.server() == null) {
          unknownServer.add(pool);
        } else if (pool.server().equals(server)) {
          sameServer.add(pool);
        }
      }
    }
    if (sameServer.size() == 1) {
      return sameServer.get(0);
    }
    return sameServer.isEmpty() && unknownServer.size() == 1 ? unknownServer.get(0) : null;
  }

  /** PostgreSQL's getBackendPID per connection class, looked up once per class. */
  private static final ClassValue<Optional<Method>> BACKEND_PID =
      new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
          return Optional.ofNullable(Reflect.publicGetter(type, "getBackendPID"));
        }
      };

  private static long backendPid(Object connection) {
    try {
      Object pid = BACKEND_PID.get(connection.getClass()).get().invoke(connection);
      return pid instanceof Number ? ((Number) pid).longValue() : -1;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /** Once per server, on the connection just opened (autocommit, no transaction left behind). */
  private static void readLimit(Server server, Object connection) {
    try (Statement statement = ((Connection) connection).createStatement();
        ResultSet result = statement.executeQuery("SELECT current_setting('max_connections')::int")) {
      if (result.next()) {
        server.maxConnections(result.getLong(1));
      }
    } catch (Exception | LinkageError e) {
      // a limit we cannot read is simply not exported
    }
  }
}
