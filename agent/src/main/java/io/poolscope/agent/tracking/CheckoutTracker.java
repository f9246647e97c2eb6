package io.poolscope.agent.tracking;

import io.poolscope.agent.bootstrap.JdbcListener;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns the JDBC hooks into per-pool checkout figures: waits (the outermost getConnection), holds
 * (from its return to the first close), threads waiting now, connections in use now, failures.
 * Plain Java: unit tests drive it directly, without an agent.
 */
public final class CheckoutTracker implements JdbcListener {

  private final PoolRegistry registry;
  private final CheckoutTable checkouts = new CheckoutTable();
  private final LongSupplier nanoClock;
  private final ThreadLocal<CallStack> calls = ThreadLocal.withInitial(CallStack::new);

  public CheckoutTracker(int maxPools, List<String> extraPoolPackages) {
    this(maxPools, extraPoolPackages, System::nanoTime, CheckoutTracker::epochNanos);
  }

  CheckoutTracker(
      int maxPools, List<String> extraPoolPackages, LongSupplier nanoClock, LongSupplier epochNanos) {
    this.registry = new PoolRegistry(new RoleClassifier(extraPoolPackages), maxPools, epochNanos);
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
      pool.checkedOut(wait);
      checkouts.open(connection, pool, now);
    }
  }

  @Override
  public void connectionClose(Object connection) {
    Checkout checkout = checkouts.close(connection);
    if (checkout != null) {
      checkout.pool.returned(nanoClock.getAsLong() - checkout.sinceNanos);
    }
  }

  /** Pools with at least one checkout or failure, for the exporter; also settles abandoned ones. */
  public List<PoolStats> pools() {
    checkouts.expungeDropped();
    return registry.pools();
  }

  int openCheckouts() {
    return checkouts.size();
  }
}
