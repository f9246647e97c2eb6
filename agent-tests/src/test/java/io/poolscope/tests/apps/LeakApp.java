package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Ways a connection goes missing, on a HikariCP pool named {@code <mode>-pool}: {@code leak} holds
 * one far past the leak threshold, then closes it; {@code abandon} drops one without close, collects
 * it and borrows once more; {@code leakdrop} holds one past the threshold, then drops it the same
 * way. All first warm up on {@code warmup-pool}.
 *
 * <p>Args: JDBC URL, {@code leak|abandon|leakdrop}. Prints {@code SITE <mode> line=N} (the borrowing line),
 * then {@code DONE <mode>}.
 */
public final class LeakApp {

  /** Four times the tests' leak threshold: the watcher has time to see it even on a busy machine. */
  public static final long HOLD_MILLIS = 2000;

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    String mode = args[1];
    warmUp(args[0]);
    try (HikariDataSource pool = Pools.hikari(args[0], 2, mode + "-pool")) {
      switch (mode) {
        case "leak" -> leakThenReturn(pool);
        case "abandon" -> settleOnceCollected(pool, borrowAndForget(pool));
        case "leakdrop" -> settleOnceCollected(pool, leakAndForget(pool));
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
      // a few export intervals at rest: the used count and the oldest age are seen back at 0
      AppMain.sleep(600);
    }
    System.out.println("DONE " + mode);
  }

  /**
   * A quick checkout on a pool of its own, so the JDBC classes are loaded (and instrumented, which
   * can take a second on a busy machine) before the checkouts under test: the leak watcher must find
   * the holder in its report, not in class loading, and this one must not look like a leak of theirs.
   */
  private static void warmUp(String url) throws SQLException {
    try (HikariDataSource warmup = Pools.hikari(url, 1, "warmup-pool");
        Connection connection = warmup.getConnection()) {
      AppMain.selectOne(connection);
    }
  }

  private static void leakThenReturn(DataSource pool) throws SQLException {
    BorrowSite.announce("leak");
    try (Connection connection = pool.getConnection()) {
      holdInSlowReport(connection);
    }
  }

  /** Where the holder sits while the leak is reported: the leak log must show this method. */
  private static void holdInSlowReport(Connection connection) throws SQLException {
    AppMain.selectOne(connection);
    AppMain.sleep(HOLD_MILLIS);
  }

  private static void settleOnceCollected(DataSource pool, WeakReference<Connection> dropped)
      throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (dropped.get() != null) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the dropped connection was never collected");
      }
      System.gc();
      AppMain.sleep(50);
    }
    System.out.println("COLLECTED");
    // the pool stays in use, as in a real app: the next checkout settles the collected one
    // (counted, and its span made) without waiting for an export, which may be slow under load;
    // the pause lets the JVM enqueue the agent's cleared reference first
    AppMain.sleep(500);
    try (Connection connection = pool.getConnection()) {
      AppMain.selectOne(connection);
    }
  }

  /** Borrows and forgets: only a weak reference leaves this method. */
  private static WeakReference<Connection> borrowAndForget(DataSource pool) throws SQLException {
    BorrowSite.announce("abandon");
    Connection connection = pool.getConnection();
    AppMain.selectOne(connection);
    return new WeakReference<>(connection);
  }

  /** A suspected leak that is never closed: held in the report, then forgotten. */
  private static WeakReference<Connection> leakAndForget(DataSource pool) throws SQLException {
    BorrowSite.announce("leakdrop");
    Connection connection = pool.getConnection();
    holdInSlowReport(connection);
    return new WeakReference<>(connection);
  }
}
