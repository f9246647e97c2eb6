package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pooled app that runs while poolscope is attached to it, started without the agent. Two HikariCP
 * pools on the same server:
 *
 * <ul>
 *   <li>{@code busy-pool}: one thread loops checkouts from start until command {@code attached},
 *       so the attach lands while getConnection and close are running;
 *   <li>{@code attach-pool}: {@value #BEFORE} checkouts and one connection taken before the attach;
 *       after that command exactly {@value #AFTER} checkouts, then that first connection is closed.
 * </ul>
 *
 * <p>Args: JDBC URL, {@code control=DIR} (see {@link Commands}). Prints {@code READY} once both
 * pools run; then command {@code attached} runs the checkouts after the attach, and {@code stop}
 * closes the pools; it prints {@code DONE busy=N attach=N after=N} last.
 */
public final class AttachWorkloadApp {

  public static final int BEFORE = 20;
  public static final int AFTER = 200;
  private static final int AFTER_THREADS = 2;

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    String url = args[0];
    Commands commands = new Commands(AppMain.options(args, 1).get("control"));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger busyCheckouts = new AtomicInteger();
    // futures, so a failure on any thread fails the app
    ExecutorService threads = Executors.newFixedThreadPool(1 + AFTER_THREADS);
    try (HikariDataSource busy = Pools.hikari(url, 2, "busy-pool");
        HikariDataSource counted = Pools.hikari(url, 3, "attach-pool")) {
      checkouts(counted, BEFORE);
      Connection heldAcrossAttach = counted.getConnection();
      AppMain.selectOne(heldAcrossAttach);
      Future<?> looper = threads.submit(() -> {
        while (!stop.get()) {
          try (Connection connection = busy.getConnection()) {
            AppMain.selectOne(connection);
            AppMain.sleep(2);
          }
          busyCheckouts.incrementAndGet();
        }
        return null;
      });
      System.out.println("READY");

      String attached = expect(commands, "attached");
      stop.set(true);
      looper.get();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < AFTER_THREADS; t++) {
        workers.add(threads.submit(() -> checkouts(counted, AFTER / AFTER_THREADS)));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      heldAcrossAttach.close();
      Commands.done(attached);
      // at rest until the test has seen the exports it waits for
      Commands.done(expect(commands, "stop"));
    } finally {
      threads.shutdownNow();
    }
    System.out.println("DONE busy=" + busyCheckouts.get() + " attach=" + (BEFORE + AFTER)
        + " after=" + AFTER);
  }

  private static String expect(Commands commands, String verb) throws Exception {
    String command = commands.next();
    if (!Commands.verb(command).equals(verb)) {
      throw new IllegalStateException("expected command " + verb + ", got " + command);
    }
    return command;
  }

  private static Void checkouts(HikariDataSource pool, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      try (Connection connection = pool.getConnection()) {
        AppMain.selectOne(connection);
      }
    }
    return null;
  }
}
