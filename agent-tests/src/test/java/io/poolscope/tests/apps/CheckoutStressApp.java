package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many threads hammering one HikariCP pool: random holds (none, a busy spin of a few
 * microseconds, now and then a millisecond's sleep), double closes, and connections handed to
 * other threads to close. Every 100th checkout runs a query, so the pool really talks to the
 * server.
 *
 * <p>Args: JDBC URL, then {@code threads=N checkouts=N (per thread) max=N}. Prints
 * {@code DONE checkouts=TOTAL crossThreadCloses=X doubleCloses=D}.
 */
public final class CheckoutStressApp {

  public static final String POOL = "stress-pool";
  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    Map<String, String> options = AppMain.options(args, 1);
    int threads = AppMain.intOption(options, "threads", 64);
    int perThread = AppMain.intOption(options, "checkouts", 1000);
    int maxSize = AppMain.intOption(options, "max", 8);

    AtomicLong checkouts = new AtomicLong();
    AtomicLong crossThread = new AtomicLong();
    AtomicLong doubleCloses = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    BlockingQueue<Connection> toClose = new LinkedBlockingQueue<>();
    AtomicBoolean workersDone = new AtomicBoolean();
    try (HikariDataSource pool = Pools.hikari(args[0], maxSize, POOL)) {
      List<Thread> closers = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        Thread closer = new Thread(() -> closeAll(toClose, workersDone, doubleCloses, failure), "closer-" + c);
        closer.start();
        closers.add(closer);
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker = new Thread(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          try {
            go.await();
            for (int i = 0; i < perThread; i++) {
              // no statements here: a double close racing with HikariCP's statement tracking of the
              // connection's next user is HikariCP's own hazard (its FastList), not what this tests
              Connection connection = pool.getConnection();
              hold(random);
              checkouts.incrementAndGet();
              if (random.nextInt(5) == 0) {
                crossThread.incrementAndGet();
                toClose.put(connection);
                continue;
              }
              connection.close();
              if (random.nextInt(7) == 0) {
                connection.close();
                doubleCloses.incrementAndGet();
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }, "stress-" + t);
        worker.start();
        workers.add(worker);
      }
      go.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      workersDone.set(true);
      for (Thread closer : closers) {
        closer.join();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a thread failed", failure.get());
      }
      AppMain.sleep(600);
    }
    System.out.println("DONE checkouts=" + checkouts.get() + " crossThreadCloses="
        + crossThread.get() + " doubleCloses=" + doubleCloses.get());
  }

  /** Closes what workers hand over, sometimes twice, until they are done and nothing is left. */
  private static void closeAll(BlockingQueue<Connection> toClose, AtomicBoolean workersDone,
      AtomicLong doubleCloses, AtomicReference<Throwable> failure) {
    try {
      while (!workersDone.get() || !toClose.isEmpty()) {
        Connection connection = toClose.poll(10, TimeUnit.MILLISECONDS);
        if (connection != null) {
          connection.close();
          if (ThreadLocalRandom.current().nextInt(7) == 0) {
            connection.close();
            doubleCloses.incrementAndGet();
          }
        }
      }
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
  }

  private static void hold(ThreadLocalRandom random) throws InterruptedException {
    int dice = random.nextInt(100);
    if (dice == 0) {
      Thread.sleep(1);
    } else if (dice < 75) {
      long until = System.nanoTime() + random.nextInt(20_000);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
  }
}
