package io.poolscope.tests.apps;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Threads checking connections out of one pool: getConnection, SELECT 1, hold, close.
 *
 * <p>Args: JDBC URL, then {@code pool=hikari|dbcp2|c3p0|tomcat|pgsimple threads=N checkouts=N
 * (per thread) holdMs=N max=N name=NAME restMs=N}. Prints {@code DONE checkouts=TOTAL}.
 */
public final class CheckoutWorkload {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    String url = args[0];
    Map<String, String> options = AppMain.options(args, 1);
    String kind = options.getOrDefault("pool", "hikari");
    int threads = AppMain.intOption(options, "threads", 2);
    int perThread = AppMain.intOption(options, "checkouts", 100);
    int holdMillis = AppMain.intOption(options, "holdMs", 2);
    int maxSize = AppMain.intOption(options, "max", 3);
    // at rest for a few export intervals, so the idle count of a quiet pool gets exported
    int restMillis = AppMain.intOption(options, "restMs", 600);

    AtomicInteger done = new AtomicInteger();
    try (Pools.Pool pool = Pools.create(kind, url, maxSize, options.get("name"))) {
      CountDownLatch go = new CountDownLatch(1);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker = new Thread(() -> {
          try {
            go.await();
            for (int i = 0; i < perThread; i++) {
              try (Connection connection = pool.dataSource().getConnection()) {
                AppMain.selectOne(connection);
                if (holdMillis > 0) {
                  Thread.sleep(holdMillis);
                }
              }
              done.incrementAndGet();
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }, "worker-" + t);
        worker.start();
        workers.add(worker);
      }
      go.countDown();
      for (Thread worker : workers) {
        worker.join();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a worker failed", failure.get());
      }
      Thread.sleep(restMillis);
    }
    System.out.println("DONE checkouts=" + done.get());
  }
}
