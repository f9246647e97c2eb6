package io.poolscope.agent.tracking;

import static io.poolscope.agent.tracking.CheckoutSlot.FREE;
import static io.poolscope.agent.tracking.CheckoutSlot.HELD;
import static io.poolscope.agent.tracking.CheckoutSlot.MOVING;
import static io.poolscope.agent.tracking.CheckoutSlot.status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every checkout open in the process. The common case — a connection closed soon, on the thread that
 * borrowed it — lives in that thread's reusable {@link CheckoutSlot}s: no allocation, no shared map.
 * A checkout held longer than {@code moveAfterNanos}, or left by a thread that ended, is moved by the
 * watcher into a weakly referenced {@link WeakCheckout}, so one the app drops unclosed is still found
 * (abandoned) and no slot keeps a connection alive for long.
 */
final class OpenCheckouts {

  /** Slots per thread; a thread holding more at once (a batch job, a leak in a loop) gets weak records. */
  static final int MAX_SLOTS = 8;

  private final IdentityTable<WeakCheckout> moved = new IdentityTable<>();

  /** Threads that ever held a checkout, for closes on another thread and for the watcher. */
  private volatile CallStack[] threads = new CallStack[0];

  /** Each thread's state, created at its first hook call. */
  private final ThreadLocal<CallStack> calls = ThreadLocal.withInitial(this::registered);

  /**
   * The same states by thread id (modulo the size), where the first thread of each id takes the place:
   * a hit is two loads (the table's length, its slot), where a thread local look-up is four (map,
   * table, entry, value), each a cache miss in a checkout after a context switch.
   */
  private final CallStack[] byThreadId = new CallStack[BY_THREAD_ID];

  static final int BY_THREAD_ID = 256;

  /** Only closes of classes ever checked out are worth a search beyond the slots. */
  private final ConnectionClasses classes;

  /** Where a physical connection held in a slot goes when it leaves the slot still open. */
  private final PhysicalConnections table;

  OpenCheckouts(ConnectionClasses classes, PhysicalConnections table) {
    this.classes = classes;
    this.table = table;
  }

  /** {@code opened}: the slot {@link CheckoutSlot#open} filled for this checkout, else null. */
  void hold(
      CallStack call,
      Object connection,
      CheckoutSlot opened,
      PoolStats pool,
      long waitNanos,
      long nowNanos,
      CallSite site) {
    CheckoutSlot slot = opened != null ? opened : freeSlot(call);
    // a thread's slot held a connection of the same class last time, nearly always
    ConnectionClasses.Seen seen = classes.of(connection, slot == null ? null : slot.seen);
    seen.checkedOut();
    if (slot != null) {
      slot.hold(connection, opened != null, seen, pool, waitNanos, nowNanos, site);
      return;
    }
    moved.put(
        new WeakCheckout(connection, moved.queue(), pool, waitNanos, nowNanos, call.owner, site));
  }

  /** A slot {@link CheckoutSlot#open} filled whose connection is no checkout after all: to the table. */
  void unopen(CheckoutSlot slot) {
    table.add(table.record(slot));
    slot.forget();
  }

  /** A free slot of the thread, or null if it holds {@link #MAX_SLOTS} checkouts already. */
  CheckoutSlot freeSlot(CallStack call) {
    CheckoutSlot[] slots = call.slots;
    for (CheckoutSlot slot : slots) {
      if (status(slot.stamp()) == FREE) {
        return slot;
      }
    }
    if (slots.length == MAX_SLOTS) {
      return null;
    }
    CheckoutSlot added = CheckoutSlot.create(call.owner);
    CheckoutSlot[] grown = Arrays.copyOf(slots, slots.length + 1);
    grown[slots.length] = added;
    call.slots = grown;
    return added;
  }

  /** The calling thread's state. */
  CallStack current() {
    Thread thread = Thread.currentThread();
    CallStack call = byThreadId[place(thread)];
    return call != null && call.owner == thread ? call : calls.get();
  }

  /**
   * Once per thread, when its first hook call creates its state: from then on its waits, slots and
   * histograms are counted (the watcher drops it once the thread has ended).
   */
  private synchronized CallStack registered() {
    CallStack call = CallStack.create();
    CallStack[] grown = Arrays.copyOf(threads, threads.length + 1);
    grown[threads.length] = call;
    threads = grown;
    int place = place(call.owner);
    if (byThreadId[place] == null) {
      byThreadId[place] = call; // read without a lock: a reader checks the owner, a final field
    }
    return call;
  }

  private static int place(Thread thread) {
    return (int) thread.getId() & (BY_THREAD_ID - 1);
  }

  /**
   * An ended thread's counts move into the shared histograms under the same lock as a snapshot adds up
   * the threads' counts, so no snapshot sees them twice or not at all.
   */
  private synchronized void unregister(CallStack call) {
    for (ThreadCounts counts : call.counts) {
      counts.pool.takeOver(counts);
    }
    List<CallStack> kept = new ArrayList<>(Arrays.asList(threads));
    kept.remove(call);
    threads = kept.toArray(new CallStack[0]);
    int place = place(call.owner);
    if (byThreadId[place] == call) {
      byThreadId[place] = null; // for a later thread of that place, and the ended one's loader
    }
  }

  /**
   * Ends and returns the open checkout of {@code connection}, or null if it has none (a double close,
   * a connection no getConnection handed out). A returned slot belongs to the calling thread: call
   * {@link #release} once done with it. {@code anyThread}: also look in other threads' slots (a close),
   * not only this thread's and the moved ones (a pool handing out an object still counted as open).
   */
  Checkout take(CallStack call, Object connection, boolean anyThread) {
    for (CheckoutSlot slot : call.slots) {
      long stamp = slot.stamp();
      if (status(stamp) != FREE && slot.connection == connection) {
        if (status(stamp) == HELD && slot.end(stamp)) {
          return slot;
        }
        return takeMoved(slot, connection);
      }
    }
    if (!anyThread && moved.size() == 0 || !classes.of(connection).checkedOut) {
      return null;
    }
    WeakCheckout weak = moved.remove(connection);
    return weak != null || !anyThread ? weak : takeFromOtherThread(call, connection);
  }

  /**
   * Ended on another thread than the one that borrowed it: rare, so a scan of all threads' slots. The
   * slot is claimed as the watcher claims it, so it is freed without the connection: its owner may
   * not check out again for long, and must not keep a closed connection alive meanwhile.
   */
  private Checkout takeFromOtherThread(CallStack call, Object connection) {
    for (CallStack other : threads) {
      if (other == call) {
        continue;
      }
      for (CheckoutSlot slot : other.slots) {
        long stamp = slot.stamp();
        if (status(stamp) != FREE && slot.connection == connection) {
          if (status(stamp) == HELD && slot.beginMove(stamp)) {
            CheckoutSlot copy = call.scratch().copyOf(slot);
            slot.endMove();
            return copy;
          }
          return takeMoved(slot, connection);
        }
      }
    }
    return null;
  }

  /** The slot is being (or was) moved by the watcher, or was ended by another thread just now. */
  private WeakCheckout takeMoved(CheckoutSlot slot, Object connection) {
    while (status(slot.stamp()) == MOVING) {
      Thread.onSpinWait();
    }
    return moved.remove(connection);
  }

  /** After {@link #take}: the slot (the caller's own, or its copy) must not keep the connection alive. */
  static void release(Checkout checkout) {
    if (checkout instanceof CheckoutSlot) {
      ((CheckoutSlot) checkout).forget();
    }
  }

  /**
   * Moves checkouts held at least {@code moveAfterNanos}, and all of ended threads, into weak records.
   * {@code replaced} gets an older record of the same connection: that checkout has ended (a pool
   * handed the object out again without a close).
   */
  synchronized void moveOld(long moveAfterNanos, long nowNanos, Consumer<WeakCheckout> replaced) {
    for (CallStack stack : threads) {
      boolean ended = !stack.owner.isAlive();
      for (CheckoutSlot slot : stack.slots) {
        long stamp = slot.stamp();
        if (status(stamp) == HELD
            && (ended || nowNanos - slot.sinceNanos >= moveAfterNanos)
            && slot.beginMove(stamp)) {
          WeakCheckout record =
              new WeakCheckout(
                  slot.connection, moved.queue(), slot.pool, slot.waitNanos, slot.sinceNanos,
                  slot.owner, slot.site);
          WeakCheckout previous = moved.put(record);
          if (slot.opened) {
            table.add(table.record(slot));
          }
          slot.endMove();
          if (previous != null) {
            replaced.accept(previous);
          }
        }
      }
      if (ended) {
        unregister(stack);
      }
    }
  }

  /**
   * The physical connections in {@code table} and those held in slots, read under the lock of
   * {@link #moveOld}, so a connection moving from a slot to the table is counted once.
   */
  synchronized List<PhysicalConnection> physical(Supplier<List<PhysicalConnection>> inTable) {
    List<PhysicalConnection> all = inTable.get();
    for (CallStack stack : threads) {
      for (CheckoutSlot slot : stack.slots) {
        long stamp = slot.stamp();
        if (status(stamp) == HELD && slot.opened) {
          PhysicalConnection physical = table.record(slot);
          if (slot.stamp() == stamp) {
            all.add(physical);
          }
        }
      }
    }
    return all;
  }

  /** Connections of {@code pool} the app holds now. */
  long used(PoolStats pool) {
    long used = 0;
    for (CallStack stack : threads) {
      for (CheckoutSlot slot : stack.slots) {
        if (status(slot.stamp()) == HELD && slot.pool == pool) {
          used++;
        }
      }
    }
    for (WeakCheckout checkout : moved.records()) {
      if (checkout.pool == pool) {
        used++;
      }
    }
    return used;
  }

  /** Hands each live thread's counts for {@code pool} to {@code action}. */
  synchronized void forEachThreadCounts(PoolStats pool, Consumer<ThreadCounts> action) {
    for (CallStack stack : threads) {
      for (ThreadCounts counts : stack.counts) {
        if (counts.pool == pool) {
          action.accept(counts);
        }
      }
    }
  }

  /** Threads in a getConnection of {@code pool} now. */
  long pending(PoolStats pool) {
    long pending = 0;
    for (CallStack stack : threads) {
      if (stack.waiting && stack.pool == pool) {
        pending++;
      }
    }
    return pending;
  }

  void drainDropped(Consumer<WeakCheckout> action) {
    moved.drainDropped(action);
  }

  /** The checkouts moved out of slots: the only ones old enough to be leaks. */
  Collection<WeakCheckout> moved() {
    return moved.records();
  }

  /** Every open checkout now; a snapshot, for the exporter and the watcher. */
  List<Checkout> snapshot() {
    List<Checkout> open = new ArrayList<>(moved.records());
    for (CallStack stack : threads) {
      for (CheckoutSlot slot : stack.slots) {
        long stamp = slot.stamp();
        if (status(stamp) == HELD) {
          CheckoutSlot copy = CheckoutSlot.create(slot.owner).copyOf(slot);
          copy.forget();
          if (slot.stamp() == stamp) {
            open.add(copy);
          }
        }
      }
    }
    return open;
  }
}
