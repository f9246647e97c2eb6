package io.poolscope.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;

/**
 * One worker process, like one process of a multi-process web server: it builds its own pool, as every
 * such process does, and runs a mixed workload on it until the demo goes away. The poolscope agent is
 * attached by the demo with {@code -javaagent}; nothing here knows about it.
 *
 * <p>Arguments: {@code INDEX JDBC_URL USER POOL_SIZE LEAK(true|false)}; the password, if any, comes in
 * the environment variable {@value #PASSWORD_ENV} so that it never shows in {@code ps}.
 */
public final class Worker {

  static final String PASSWORD_ENV = "POOLSCOPE_DEMO_PASSWORD";

  private Worker() {}

  /** What the server shows in {@code pg_stat_activity.application_name} for worker {@code index}. */
  static String applicationName(int index) {
    return "poolscope-demo-worker-" + index;
  }

  static String poolName(int index) {
    return "worker-" + index;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      System.err.println("usage: Worker INDEX JDBC_URL USER POOL_SIZE LEAK");
      System.exit(2);
    }
    int index = Integer.parseInt(args[0]);
    int poolSize = Integer.parseInt(args[3]);
    boolean leak = Boolean.parseBoolean(args[4]);

    HikariConfig config = new HikariConfig();
    config.setPoolName(poolName(index));
    config.setJdbcUrl(args[1]);
    config.setUsername(args[2]);
    config.setPassword(System.getenv(PASSWORD_ENV));
    config.setMaximumPoolSize(poolSize);
    // a fixed-size pool, the common default: every worker holds poolSize server connections all the time
    config.setMinimumIdle(poolSize);
    config.setConnectionTimeout(1000);
    config.addDataSourceProperty("ApplicationName", applicationName(index));

    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      System.err.println(poolName(index) + ": could not start the pool: " + e);
      System.exit(1);
      return;
    }
    Workload workload = new Workload(pool, poolSize, index, leak);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      workload.stop();
      pool.close();
    }, "worker-shutdown"));
    workload.start();
    System.out.println(poolName(index) + " running, pid " + ProcessHandle.current().pid());

    // stdin is a pipe from the demo: it reaches end-of-file when the demo exits, however it exits
    // (even kill -9), so a worker never outlives the demo.
    while (System.in.read() != -1) {
      // nothing is sent; just wait
    }
    System.exit(0);
  }
}
