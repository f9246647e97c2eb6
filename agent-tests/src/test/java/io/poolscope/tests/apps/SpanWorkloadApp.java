package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/**
 * Fast checkouts, then slow ones, on one thread of a HikariCP pool named {@code span-pool}: what a
 * span threshold must tell apart. Each slow checkout asks the server for its backend pid. The same
 * checkouts run first on {@code warmup-pool}, so class loading and the JIT do not make the first
 * "fast" checkouts of {@code span-pool} slow.
 *
 * <p>Args: JDBC URL, then {@code fast=N slow=N slowMs=N}. Prints {@code SLOW backend_pid=P} per slow
 * checkout and {@code DONE checkouts=N}.
 */
public final class SpanWorkloadApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    Map<String, String> options = AppMain.options(args, 1);
    int fast = AppMain.intOption(options, "fast", 20);
    int slow = AppMain.intOption(options, "slow", 3);
    int slowMillis = AppMain.intOption(options, "slowMs", 250);
    try (HikariDataSource warmup = Pools.hikari(args[0], 2, "warmup-pool")) {
      for (int i = 0; i < fast; i++) {
        try (Connection connection = warmup.getConnection()) {
          AppMain.selectOne(connection);
        }
      }
    }
    // the agent's exporter, started by the first JDBC call, is up before the checkouts that count
    AppMain.awaitAgentExporting();
    int checkouts = 0;
    try (HikariDataSource pool = Pools.hikari(args[0], 2, "span-pool")) {
      for (int i = 0; i < fast; i++, checkouts++) {
        try (Connection connection = pool.getConnection()) {
          AppMain.selectOne(connection);
        }
      }
      for (int i = 0; i < slow; i++, checkouts++) {
        try (Connection connection = pool.getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
          rows.next();
          System.out.println("SLOW backend_pid=" + rows.getLong(1));
          AppMain.sleep(slowMillis);
        }
      }
    }
    System.out.println("DONE checkouts=" + checkouts);
  }
}
