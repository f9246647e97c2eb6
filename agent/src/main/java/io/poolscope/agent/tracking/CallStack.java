package io.poolscope.agent.tracking;

/**
 * Per-thread state of the getConnection calls in progress, and the thread's open checkouts. Only the
 * outermost call is a checkout; the calls nested in it (a wrapper calling a pool, a pool calling a
 * driver) only tell which pool it is.
 */
class CallStack extends CacheLineAhead {

  /** The only instances: with 64 bytes behind the fields (see {@link CacheLineAhead}). */
  private static final class Padded extends CallStack {
    long behind0, behind1, behind2, behind3, behind4, behind5, behind6, behind7;
  }

  static CallStack create() {
    return new Padded();
  }

  private CallStack() {}

  private static final CheckoutSlot[] NO_SLOTS = new CheckoutSlot[0];

  final Thread owner = Thread.currentThread();

  /** This thread's checkout slots; grown (rarely) by the owner, read by any thread. */
  volatile CheckoutSlot[] slots = NO_SLOTS;

  /** Where a checkout ended here but borrowed on another thread is copied before that slot is freed. */
  private CheckoutSlot scratch;

  /** Nesting depth of getConnection on this thread; plain int, only this thread touches it. */
  int depth;

  /** The outermost call is a provider filling a pool: nothing in it counts. */
  boolean ignored;

  /** When the outermost call started. */
  long startNanos;

  /**
   * The deepest pool seen so far in the outermost call, where its wait is counted as pending; kept
   * after the call, so the next checkout of the same pool stores no reference (see {@link #waitIn}).
   */
  DataSourceEntry poolEntry;

  PoolStats pool;

  /** In a getConnection of {@link #pool} now; read by the exporter's pending count. */
  boolean waiting;

  /** Checkouts left on this thread until the next borrow site capture. */
  int untilCapture;

  /** In a Driver.connect on this thread (a wrapping driver calls the real one: only the outer counts). */
  boolean connecting;

  /** When the outermost Driver.connect started. */
  long connectStartNanos;

  /**
   * The URL of the thread's last connect and its server (null: none poolscope can parse), kept so the
   * next connect to the same URL, nearly always, looks up nothing.
   */
  String connectUrl;

  Server connectServer;

  /** When a connect that is the checkout itself returned (see CheckoutTracker#isTheCheckout), or 0. */
  long connectedNanos;

  /**
   * The slot holding the connection a connect opened in the outermost call, until getConnection
   * returns it (or not); valid while {@link #slotOpened}. Kept after the call (see {@link #waitIn}).
   */
  CheckoutSlot opened;

  boolean slotOpened;

  private static final ThreadCounts[] NO_COUNTS = new ThreadCounts[0];

  /** This thread's histograms, one entry per pool it used; read by the exporter. */
  volatile ThreadCounts[] counts = NO_COUNTS;

  private ThreadCounts lastCounts;

  /** The thread's counts for {@code pool}: nearly always the pool of its previous checkout. */
  ThreadCounts counts(PoolStats pool) {
    ThreadCounts last = lastCounts;
    if (last != null && last.pool == pool) {
      return last;
    }
    for (ThreadCounts known : counts) {
      if (known.pool == pool) {
        lastCounts = known;
        return known;
      }
    }
    ThreadCounts added = new ThreadCounts(pool);
    ThreadCounts[] grown = java.util.Arrays.copyOf(counts, counts.length + 1);
    grown[counts.length] = added;
    counts = grown;
    lastCounts = added;
    return added;
  }

  /**
   * Stores only what changed: this record is long-lived (old), and G1 fences every store of a
   * reference into an old object from another region; a pool's checkouts store none.
   */
  void waitIn(DataSourceEntry entry, PoolStats pool) {
    if (poolEntry != entry) {
      poolEntry = entry;
    }
    if (this.pool != pool) {
      this.pool = pool;
    }
    waiting = true;
  }

  CheckoutSlot scratch() {
    if (scratch == null) {
      scratch = CheckoutSlot.create(owner);
    }
    return scratch;
  }
}
