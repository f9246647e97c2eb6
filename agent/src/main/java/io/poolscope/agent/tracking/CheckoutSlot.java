package io.poolscope.agent.tracking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One open checkout in a reusable per-thread record, so a checkout allocates nothing. Only the owner
 * thread fills a free slot; any thread may end it (a close on another thread), and the leak watcher
 * moves a slot held too long into a {@link WeakCheckout}. Who ends or moves it is decided by one CAS
 * on {@link #stamp}: a version (bumped at every fill, so a stale stamp never matches) and a status.
 */
class CheckoutSlot extends CacheLineAhead implements Checkout {

  /** The only instances: with 64 bytes behind the fields (see {@link CacheLineAhead}). */
  private static final class Padded extends CheckoutSlot {
    long behind0, behind1, behind2, behind3, behind4, behind5, behind6, behind7;

    Padded(Thread owner) {
      super(owner);
    }
  }

  static CheckoutSlot create(Thread owner) {
    return new Padded(owner);
  }

  static final long FREE = 0;
  static final long HELD = 1;
  static final long MOVING = 2;
  private static final long STATUS = 3;
  private static final long VERSION = 4;

  private static final VarHandle STAMP;

  static {
    try {
      STAMP = MethodHandles.lookup().findVarHandle(CheckoutSlot.class, "stamp", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through STAMP
  private volatile long stamp;

  final Thread owner;
  /** The borrower: the owner, or in a copy another thread's slot's owner. */
  private Thread thread;
  /** Written by the owner while free; read by others only after they read a held stamp. */
  Object connection;
  /** What is known of the connection's class; kept when freed (it references no class). */
  ConnectionClasses.Seen seen;
  /**
   * The connection was opened for this checkout (no pool): it is the physical connection itself, kept
   * here, not in the table, until it leaves the slot still open. What its record would say follows.
   */
  boolean opened;
  Server server;
  long createNanos;
  long backendPid;
  PoolStats pool;
  long waitNanos;
  long sinceNanos;
  CallSite site;

  private CheckoutSlot(Thread owner) {
    this.owner = owner;
    this.thread = owner;
  }

  static long status(long stamp) {
    return stamp & STATUS;
  }

  long stamp() {
    return stamp;
  }

  /**
   * By the owner, on a free slot, before {@link #hold}: a connection a connect just opened for the
   * checkout in progress. Written here once, not kept elsewhere until getConnection returns: every
   * store of a new object into this long-lived one costs a G1 fence.
   */
  void open(Object connection, Server server, long createNanos, long backendPid, PoolStats pool) {
    this.connection = connection;
    opened = true;
    if (this.pool != pool) {
      this.pool = pool;
    }
    if (this.server != server) {
      this.server = server;
    }
    this.createNanos = createNanos;
    this.backendPid = backendPid;
  }

  /**
   * By the owner, on a free slot: publishes the checkout with a new version. {@code opened}: the slot
   * was filled by {@link #open} for this checkout.
   */
  void hold(
      Object connection,
      boolean opened,
      ConnectionClasses.Seen seen,
      PoolStats pool,
      long waitNanos,
      long sinceNanos,
      CallSite site) {
    if (!opened) {
      this.connection = connection;
      this.opened = false;
    }
    if (this.seen != seen) {
      this.seen = seen; // unchanged mostly: no store, no G1 fence (see CallStack#waitIn)
    }
    if (this.pool != pool) {
      this.pool = pool;
    }
    this.waitNanos = waitNanos;
    this.sinceNanos = sinceNanos;
    this.site = site;
    STAMP.setRelease(this, (stamp & ~STATUS) + VERSION + HELD);
  }

  /** Ends the checkout seen held with {@code held}; false if someone else ended or moved it first. */
  boolean end(long held) {
    return STAMP.compareAndSet(this, held, held - HELD + FREE);
  }

  /**
   * The watcher's claim before turning it into a weak record, or another thread's before ending it;
   * closers wait while it moves.
   */
  boolean beginMove(long held) {
    return STAMP.compareAndSet(this, held, held - HELD + MOVING);
  }

  void endMove() {
    connection = null;
    STAMP.setRelease(this, (stamp & ~STATUS) + FREE);
  }

  /** Drops the reference to a connection ended by its owner, so the slot keeps nothing alive. */
  void forget() {
    connection = null;
  }

  /** Another thread's slot, claimed before ending it: the owner may refill that slot right after. */
  CheckoutSlot copyOf(CheckoutSlot other) {
    thread = other.owner;
    connection = other.connection;
    seen = other.seen;
    opened = other.opened;
    server = other.server;
    createNanos = other.createNanos;
    backendPid = other.backendPid;
    pool = other.pool;
    waitNanos = other.waitNanos;
    sinceNanos = other.sinceNanos;
    site = other.site;
    return this;
  }

  @Override
  public PoolStats pool() {
    return pool;
  }

  @Override
  public long waitNanos() {
    return waitNanos;
  }

  @Override
  public long sinceNanos() {
    return sinceNanos;
  }

  @Override
  public Thread thread() {
    return thread;
  }

  @Override
  public CallSite site() {
    return site;
  }

  @Override
  public boolean leakSuspected() {
    return false;
  }

  @Override
  public Object leakReport() {
    return null;
  }

  @Override
  public void leakReport(Object report) {
    throw new UnsupportedOperationException("only a checkout that outlived its slot can be a leak");
  }
}
