package io.poolscope.agent.tracking;

import io.poolscope.agent.bootstrap.JdbcListener;
import io.poolscope.agent.config.AgentConfig;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Turns the JDBC hooks into per-pool checkout figures: waits (the outermost getConnection), holds
 * (from its return to the first close), threads waiting now, connections in use now, failures. A
 * checkout writes only to its thread's own state (slots, histograms); see {@link OpenCheckouts}.
 * Plain Java: unit tests drive it directly, without an agent.
 */
public final class CheckoutTracker implements JdbcListener {

  private final RoleClassifier classifier;
  private final PoolRegistry registry;
  private final ConnectionClasses connectionClasses = new ConnectionClasses();
  private final PhysicalConnections physical;
  private final OpenCheckouts checkouts;
  private final ApplicationNames applicationNames;
  private final CallSites sites;
  private final int callsiteSample;
  private final long callsiteIntervalNanos;
  /** A test's clock, or null for {@link System#nanoTime}: see {@link #nanoTime()}. */
  private final LongSupplier nanoClock;
  private volatile CheckoutEvents events = CheckoutEvents.NONE;
  /** Kept, not written as this::abandoned at each use: a method reference there allocates. */
  private final Consumer<WeakCheckout> abandoned = this::abandoned;
  private final Consumer<WeakCheckout> replaced = this::replaced;

  /** A checkout held this long leaves its slot for a weak record: dropped ones are then found. */
  static final long MOVE_AFTER_NANOS = 1_000_000_000L;

  public CheckoutTracker(AgentConfig config, String serviceName) {
    this(config, serviceName, null, CheckoutTracker::epochNanos);
  }

  CheckoutTracker(
      AgentConfig config, String serviceName, LongSupplier nanoClock, LongSupplier epochNanos) {
    this.classifier = new RoleClassifier(config.poolPackages, config.driverPackages);
    this.physical = new PhysicalConnections(config.serverLimit, connectionClasses);
    this.checkouts = new OpenCheckouts(connectionClasses, physical);
    this.registry = new PoolRegistry(classifier, config.poolsMax, epochNanos, checkouts);
    this.applicationNames =
        new ApplicationNames(config.applicationName, serviceName, ProcessHandle.current().pid());
    this.sites = new CallSites(config.callsiteInclude, config.callsiteExclude, config.callsiteMax);
    this.callsiteSample = config.callsiteSample;
    this.callsiteIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.callsiteIntervalMillis);
    this.nanoClock = nanoClock;
  }

  /** Where slow, failed and leaked checkouts are reported (spans), once the exporter is up. */
  public void events(CheckoutEvents events) {
    this.events = events;
  }

  /**
   * No call through a clock object in production: its class check would read one more cache line,
   * which a checkout after a context switch finds cold.
   */
  private long nanoTime() {
    return nanoClock == null ? System.nanoTime() : nanoClock.getAsLong();
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Returns the thread's state for the exit, or null for a getConnection that is no DataSource's. */
  @Override
  public Object getConnectionEnter(Object dataSource) {
    if (!(dataSource instanceof DataSource)) {
      return null; // a getConnection of something else (a PooledConnection, a framework's provider)
    }
    CallStack call = checkouts.current();
    if (call.depth == 0) {
      outermostEnter(call, dataSource);
    } else if (!call.ignored) {
      nestedEnter(call, dataSource);
    }
    call.depth++; // last: an enter that failed gives no state, so its exit must not count down
    return call;
  }

  private void outermostEnter(CallStack call, Object dataSource) {
    // the thread's previous checkout was nearly always of the same DataSource: no registry scan
    DataSourceEntry entry = call.poolEntry;
    if (entry == null || entry.get() != dataSource) {
      entry = registry.entry(dataSource, true);
    }
    call.ignored = entry.role == Role.PROVIDER;
    if (call.ignored) {
      return;
    }
    call.startNanos = nanoTime();
    call.connectedNanos = 0;
    call.slotOpened = false;
    waitIn(call, entry, dataSource);
  }

  /**
   * A pool below a wrapper is the pool that counts, unless it is the same library's inner part (dbcp2's
   * BasicDataSource calling its PoolingDataSource): the outer one is what users configure and name. A
   * driver below a pool is that pool's provider.
   */
  private void nestedEnter(CallStack call, Object dataSource) {
    DataSourceEntry entry = registry.entry(dataSource, false);
    if (entry == call.poolEntry) {
      return;
    }
    if (entry.role == Role.POOL && !RoleClassifier.sameLibrary(entry.get(), call.poolEntry.get())) {
      waitIn(call, entry, dataSource);
    } else if (entry.role == Role.DRIVER && call.poolEntry.role == Role.POOL) {
      entry.role = Role.PROVIDER;
    }
  }

  private void waitIn(CallStack call, DataSourceEntry entry, Object dataSource) {
    call.waitIn(entry, registry.pool(entry, dataSource));
  }

  /**
   * Small enough to inline into every getConnection: a call that is no DataSource's (no state: its
   * enter ran before the tracker was installed, or the receiver is none) or a nested one costs no call.
   */
  @Override
  public void getConnectionExit(Object state, Object connection, Throwable thrown) {
    if (state instanceof CallStack && --((CallStack) state).depth == 0) {
      outermostExit((CallStack) state, connection, thrown);
    }
  }

  private void outermostExit(CallStack call, Object connection, Throwable thrown) {
    PoolStats pool = call.pool;
    call.waiting = false;
    CheckoutSlot opened = null;
    if (call.slotOpened) {
      call.slotOpened = false;
      opened = call.opened;
      if (thrown != null || opened.connection != connection || pool == null) {
        // the DataSource wrapped it, or failed after opening it (or there is no pool to count it in)
        checkouts.unopen(opened);
        opened = null;
      }
    }
    if (call.ignored || pool == null) {
      return;
    }
    long now = call.connectedNanos != 0 ? call.connectedNanos : nanoTime();
    long wait = now - call.startNanos;
    if (thrown != null) {
      pool.checkoutFailed(wait, thrown);
      events.failed(pool, call.startNanos, wait, thrown);
    } else if (connection != null) {
      checkedOut(call, pool, connection, opened, wait, now, sampledSite(call, pool, now));
    }
  }

  /**
   * A stack walk costs tens of µs where it is too rare to be compiled: a pool captures the site of at
   * most one checkout per {@code poolscope.callsite.interval}, whatever the number of threads
   * borrowing, and a thread offers only every n-th checkout of its own. The others carry no site.
   */
  private CallSite sampledSite(CallStack call, PoolStats pool, long nowNanos) {
    if (callsiteSample == 0
        || --call.untilCapture > 0
        || !pool.claimSiteCapture(nowNanos, callsiteIntervalNanos)) {
      return null;
    }
    call.untilCapture = callsiteSample;
    return sites.capture(pool);
  }

  /** {@code opened}: the slot holding the connection, when it was opened for this checkout, else null. */
  private void checkedOut(
      CallStack call,
      PoolStats pool,
      Object connection,
      CheckoutSlot opened,
      long waitNanos,
      long nowNanos,
      CallSite site) {
    ThreadCounts counts = call.counts(pool);
    if (!counts.checkedOut) {
      counts.checkedOut = true;
      pool.checkedOut(); // once per thread: a checkout reads nothing of the shared pool
    }
    Histogram.record(counts.checkouts, ThreadCounts.WAIT, waitNanos);
    // a connection just opened has no earlier checkout
    Checkout previous = opened != null ? null : checkouts.take(call, connection, false);
    if (previous != null) {
      // a pool handed out an object the app had not closed: that earlier checkout has ended
      returned(previous, connection, nowNanos, call);
      OpenCheckouts.release(previous);
    }
    checkouts.hold(call, connection, opened, pool, waitNanos, nowNanos, site);
  }

  @Override
  public void connectionClose(Object connection) {
    CallStack call = checkouts.current();
    Checkout checkout = checkouts.take(call, connection, true);
    // a slot knows its connection's class and whether the connection is physical: no look-up
    boolean inTable =
        checkout instanceof CheckoutSlot
            ? !((CheckoutSlot) checkout).opened && ((CheckoutSlot) checkout).seen.physical
            : connectionClasses.of(connection).physical;
    if (checkout != null) {
      returned(checkout, connection, nanoTime(), call);
      OpenCheckouts.release(checkout);
    }
    if (inTable) {
      physical.closed(connection);
    }
  }

  /** {@code call}: the closing thread's, or null off the app's threads. */
  private void returned(Checkout checkout, Object connection, long nowNanos, CallStack call) {
    long use = nowNanos - checkout.sinceNanos();
    if (call != null) {
      Histogram.record(call.counts(checkout.pool()).checkouts, ThreadCounts.USE, use);
    } else {
      checkout.pool().returned(use);
    }
    CallSite site = checkout.site();
    if (site != null) {
      site.returned(use);
    }
    if (checkout.leakSuspected()) {
      Leaks.logReturned(checkout, use);
    }
    events.returned(checkout, connection, nowNanos, use);
  }

  private void replaced(WeakCheckout checkout) {
    returned(checkout, null, nanoTime(), null);
  }

  private void abandoned(WeakCheckout checkout) {
    checkout.pool.abandoned();
    if (checkout.site != null) {
      checkout.site.abandoned();
    }
    events.abandoned(checkout, nanoTime());
  }

  /**
   * Flags checkouts open longer than {@code thresholdNanos}, once each: counted, logged with where the
   * holder is now, reported as an event. Called by the leak watcher's thread.
   */
  void findLeaks(long thresholdNanos) {
    long now = nanoTime();
    checkouts.moveOld(Math.min(thresholdNanos, MOVE_AFTER_NANOS), now, replaced);
    for (WeakCheckout checkout : checkouts.moved()) {
      if (!checkout.leakSuspected && now - checkout.sinceNanos > thresholdNanos) {
        checkout.leakSuspected = true;
        checkout.pool.leaked();
        if (checkout.site != null) {
          checkout.site.leaked();
        }
        Thread.State state = checkout.thread.getState();
        StackTraceElement[] holderStack = checkout.thread.getStackTrace();
        Leaks.logSuspected(checkout, now - checkout.sinceNanos, state, holderStack, sites);
        events.leakSuspected(checkout, now, holderStack);
      }
    }
  }

  /**
   * Before the exporters stop: settles connections collected without close, and reports suspected
   * leaks still held, so their spans end and are sent.
   */
  public void exiting() {
    pools();
    for (WeakCheckout checkout : checkouts.moved()) {
      if (checkout.leakSuspected) {
        events.heldAtExit(checkout);
      }
    }
  }

  /** Age of the oldest open checkout per pool, in nanoseconds. */
  public Map<PoolStats, Long> oldestCheckouts() {
    long now = nanoTime();
    Map<PoolStats, Long> oldest = new java.util.HashMap<>();
    for (Checkout checkout : checkouts.snapshot()) {
      oldest.merge(checkout.pool(), now - checkout.sinceNanos(), Math::max);
    }
    return oldest;
  }

  public Collection<CallSite> callSites() {
    return sites.all();
  }

  /**
   * The server process (PostgreSQL) of the physical connection behind the connection of {@code
   * checkout} (ending now, so still open), or -1 where it cannot be told.
   */
  public long backendPid(Checkout checkout, Object connection) {
    if (checkout instanceof CheckoutSlot && ((CheckoutSlot) checkout).opened) {
      return ((CheckoutSlot) checkout).backendPid;
    }
    PhysicalConnection behind = physical.behind(connection);
    return behind == null ? -1 : behind.backendPid();
  }

  /** Returns the thread's state, or null inside another connect of the thread. */
  @Override
  public Object driverConnectEnter(String url) {
    CallStack call = checkouts.current();
    if (call.connecting) {
      return null;
    }
    call.connectStartNanos =
        isTheCheckout(call) && call.connectedNanos == 0 ? call.startNanos : nanoTime();
    call.connecting = true; // last: an enter that failed gives no state, so no exit would clear it
    return call;
  }

  /**
   * A connect right inside a driver-style DataSource's getConnection (no pool in between) is that
   * checkout: its wait and the connection's create time are one interval, measured once. The connect
   * starts when getConnection did, and getConnection returns when the connect did.
   */
  private static boolean isTheCheckout(CallStack call) {
    return call.depth > 0 && !call.ignored && call.poolEntry.role == Role.DRIVER;
  }

  @Override
  public Properties driverConnectInfo(Object state, String url, Properties info) {
    return state == null ? info : applicationNames.apply(url, info);
  }

  /** Also learns the server the URL names, for the exit. */
  @Override
  public String driverConnectUrl(Object state, String url) {
    if (state == null) {
      return url;
    }
    learnServer((CallStack) state, url);
    return applicationNames.applyToUrl(url);
  }

  /** The thread's connects nearly always name the URL its previous one did: no map look-up. */
  private void learnServer(CallStack call, String url) {
    if (url != call.connectUrl) {
      call.connectUrl = null; // a URL that fails to parse leaves no other URL's server behind
      call.connectServer = null;
      call.connectServer = physical.server(url);
      call.connectUrl = url;
    }
  }

  /** {@code state}: null inside another connect of the thread, or if the enter failed. */
  @Override
  public void driverConnectExit(Object state, Object connection, Throwable thrown) {
    if (!(state instanceof CallStack)) {
      return;
    }
    CallStack call = (CallStack) state;
    call.connecting = false;
    if (connection == null && thrown == null) {
      return; // the driver declined the URL; DriverManager tries the next one
    }
    long now = nanoTime();
    long createNanos = now - call.connectStartNanos;
    boolean theCheckout = isTheCheckout(call);
    if (theCheckout) {
      call.connectedNanos = now;
    }
    Server server = call.connectServer;
    if (thrown != null) {
      physical.failed(server, thrown);
    } else if (theCheckout) {
      if (call.slotOpened) {
        checkouts.unopen(call.opened); // a second connection in one getConnection: the earlier one stays
      }
      // kept out of the table while the checkout holds it in its slot (see getConnectionExit)
      CheckoutSlot slot = open(call, connection, server, createNanos, call.pool);
      call.slotOpened = slot != null;
      if (slot != null && call.opened != slot) {
        call.opened = slot; // the same slot nearly always: no store, no G1 fence
      }
    } else if (call.depth > 0) {
      // inside a getConnection: the checkout's pool, or (a provider filling a pool) one to find later
      toTable(call, connection, server, createNanos, call.ignored ? null : call.pool);
    } else if (classifier.calledByPool(connection.getClass()) || server == null) {
      toTable(call, connection, server, createNanos, null);
    } else {
      // the app itself (DriverManager): a checkout of that server's unpooled "pool", which holds
      // the connection in its slot like a driver DataSource's
      PoolStats unpooled = registry.unpooled(server);
      CheckoutSlot opened = open(call, connection, server, createNanos, unpooled);
      checkedOut(call, unpooled, connection, opened, createNanos, now, sampledSite(call, unpooled, now));
    }
  }

  /**
   * A connection just opened for the checkout in progress, kept in a free slot of the thread (null if
   * none is free: it is then in the table); its create time counts in this thread's {@code pool} counts.
   */
  private CheckoutSlot open(
      CallStack call, Object connection, Server server, long createNanos, PoolStats pool) {
    CheckoutSlot slot = checkouts.freeSlot(call);
    // the slot's previous connection was of the same class, nearly always
    long backendPid =
        physical.opened(
            connection, slot == null ? null : slot.seen, server, createNanos, pool,
            createCounts(call, pool));
    if (slot == null) {
      physical.add(physical.record(connection, server, createNanos, backendPid, false, pool));
    } else {
      slot.open(connection, server, createNanos, backendPid, pool);
    }
    return slot;
  }

  /** A connection opened for no checkout of this thread (a pool filling itself): in the table. */
  private void toTable(
      CallStack call, Object connection, Server server, long createNanos, PoolStats pool) {
    long backendPid =
        physical.opened(connection, null, server, createNanos, pool, createCounts(call, pool));
    physical.add(physical.record(connection, server, createNanos, backendPid, true, pool));
  }

  private static long[] createCounts(CallStack call, PoolStats pool) {
    return pool == null ? null : call.counts(pool).create;
  }

  /** Pools with at least one checkout or failure, for the exporter; also settles abandoned ones. */
  public List<PoolStats> pools() {
    checkouts.moveOld(MOVE_AFTER_NANOS, nanoTime(), replaced);
    checkouts.drainDropped(abandoned);
    return registry.pools();
  }

  /** Open physical connections, attributed to pools as far as can be known now. */
  public Collection<PhysicalConnection> physicalConnections() {
    List<PoolStats> pools = pools();
    return checkouts.physical(() -> physical.settle(pools));
  }

  int openCheckouts() {
    return checkouts.snapshot().size();
  }

  /** The name new PostgreSQL connections get, or null when naming is off. */
  public String applicationName() {
    return applicationNames.name();
  }

  public Collection<Server> servers() {
    return physical.servers();
  }

  public Map<Server, ByErrorType<LongAdder>> createErrors() {
    return physical.createErrors();
  }
}
