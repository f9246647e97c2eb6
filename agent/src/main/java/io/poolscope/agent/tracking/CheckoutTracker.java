package io.poolscope.agent.tracking;

import io.poolscope.agent.bootstrap.JdbcListener;
import io.poolscope.agent.config.AgentConfig;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;

/**
 * Turns the JDBC hooks into per-pool checkout figures: waits (the outermost getConnection), holds
 * (from its return to the first close), threads waiting now, connections in use now, failures.
 * Plain Java: unit tests drive it directly, without an agent.
 */
public final class CheckoutTracker implements JdbcListener {

  private final RoleClassifier classifier;
  private final PoolRegistry registry;
  private final IdentityTable<Checkout> checkouts = new IdentityTable<>();
  private final PhysicalConnections physical;
  private final ApplicationNames applicationNames;
  private final LongSupplier nanoClock;
  private final ThreadLocal<CallStack> calls = ThreadLocal.withInitial(CallStack::new);

  public CheckoutTracker(AgentConfig config, String serviceName) {
    this(config, serviceName, System::nanoTime, CheckoutTracker::epochNanos);
  }

  CheckoutTracker(
      AgentConfig config, String serviceName, LongSupplier nanoClock, LongSupplier epochNanos) {
    this.classifier = new RoleClassifier(config.poolPackages);
    this.registry = new PoolRegistry(classifier, config.poolsMax, epochNanos);
    this.physical = new PhysicalConnections(config.serverLimit);
    this.applicationNames =
        new ApplicationNames(config.applicationName, serviceName, ProcessHandle.current().pid());
    this.nanoClock = nanoClock;
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public void getConnectionEnter(Object dataSource) {
    CallStack call = calls.get();
    if (call.depth++ == 0) {
      outermostEnter(call, dataSource);
    } else if (!call.ignored) {
      nestedEnter(call, dataSource);
    }
  }

  private void outermostEnter(CallStack call, Object dataSource) {
    DataSourceEntry entry = registry.entry(dataSource, true);
    call.ignored = entry.role == Role.PROVIDER;
    if (call.ignored) {
      return;
    }
    call.startNanos = nanoClock.getAsLong();
    waitIn(call, entry, dataSource);
  }

  /** A pool below a wrapper is the pool that counts; a driver below a pool is that pool's provider. */
  private void nestedEnter(CallStack call, Object dataSource) {
    DataSourceEntry entry = registry.entry(dataSource, false);
    if (entry == call.poolEntry) {
      return;
    }
    if (entry.role == Role.POOL) {
      call.pool.waitEnded();
      waitIn(call, entry, dataSource);
    } else if (entry.role == Role.DRIVER && call.poolEntry.role == Role.POOL) {
      entry.role = Role.PROVIDER;
    }
  }

  private void waitIn(CallStack call, DataSourceEntry entry, Object dataSource) {
    call.poolEntry = entry;
    call.pool = registry.pool(entry, dataSource);
    call.pool.waitStarted();
  }

  @Override
  public void getConnectionExit(Object dataSource, Object connection, Throwable thrown) {
    CallStack call = calls.get();
    int depth = --call.depth;
    if (depth > 0) {
      return;
    }
    if (depth < 0) {
      // the matching enter ran before the agent was installed
      call.depth = 0;
      return;
    }
    PoolStats pool = call.pool;
    call.pool = null;
    call.poolEntry = null;
    if (call.ignored || pool == null) {
      return;
    }
    long now = nanoClock.getAsLong();
    long wait = now - call.startNanos;
    pool.waitEnded();
    if (thrown != null) {
      pool.checkoutFailed(wait, thrown);
    } else if (connection != null) {
      checkedOut(pool, connection, wait, now);
    }
  }

  private void checkedOut(PoolStats pool, Object connection, long waitNanos, long nowNanos) {
    pool.checkedOut(waitNanos);
    checkouts.drainDropped(Checkout::abandoned);
    Checkout previous = checkouts.put(new Checkout(connection, checkouts.queue(), pool, nowNanos));
    if (previous != null) {
      // a pool handed out an object the app had not closed: that earlier checkout has ended
      previous.pool.returned(nowNanos - previous.sinceNanos);
    }
  }

  @Override
  public void connectionClose(Object connection) {
    Checkout checkout = checkouts.remove(connection);
    if (checkout != null) {
      checkout.pool.returned(nanoClock.getAsLong() - checkout.sinceNanos);
    }
    physical.closed(connection);
  }

  @Override
  public Properties driverConnectEnter(String url, Properties info) {
    CallStack call = calls.get();
    if (call.connectDepth++ > 0) {
      return info;
    }
    call.connectStartNanos = nanoClock.getAsLong();
    return applicationNames.apply(url, info);
  }

  @Override
  public void driverConnectExit(String url, Object connection, Throwable thrown) {
    CallStack call = calls.get();
    int depth = --call.connectDepth;
    if (depth != 0) {
      if (depth < 0) {
        call.connectDepth = 0;
      }
      return;
    }
    if (connection == null && thrown == null) {
      return; // the driver declined the URL; DriverManager tries the next one
    }
    long now = nanoClock.getAsLong();
    long createNanos = now - call.connectStartNanos;
    Server server = physical.server(url);
    if (thrown != null) {
      physical.failed(server, thrown);
    } else if (call.depth > 0) {
      // inside a getConnection: the checkout's pool, or (a provider filling a pool) one to find later
      physical.opened(connection, server, createNanos, true, call.ignored ? null : call.pool);
    } else if (classifier.calledByPool(connection.getClass()) || server == null) {
      physical.opened(connection, server, createNanos, true, null);
    } else {
      // the app itself (DriverManager): a checkout of that server's unpooled "pool"
      PoolStats unpooled = registry.unpooled(server);
      checkedOut(unpooled, connection, createNanos, now);
      physical.opened(connection, server, createNanos, false, unpooled);
    }
  }

  /** Pools with at least one checkout or failure, for the exporter; also settles abandoned ones. */
  public List<PoolStats> pools() {
    checkouts.drainDropped(Checkout::abandoned);
    return registry.pools();
  }

  /** Open physical connections, attributed to pools as far as can be known now. */
  public Collection<PhysicalConnection> physicalConnections() {
    return physical.settle(pools());
  }

  int openCheckouts() {
    return checkouts.size();
  }

  /** The name new PostgreSQL connections get, or null when naming is off. */
  public String applicationName() {
    return applicationNames.name();
  }

  public Collection<Server> servers() {
    return physical.servers();
  }

  public Map<Server, ErrorCounts> createErrors() {
    return physical.createErrors();
  }
}
