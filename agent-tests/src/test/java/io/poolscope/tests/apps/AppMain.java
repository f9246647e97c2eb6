package io.poolscope.tests.apps;

import java.util.HashMap;
import java.util.Map;

/** Shared plumbing of the test apps: arguments, SQL, and a clean exit code. */
final class AppMain {

  static final String USER = "postgres";

  private AppMain() {}

  interface Body {
    void run() throws Exception;
  }

  /**
   * Runs the app and exits through {@link System#exit}, so the agent's shutdown flush runs even if a
   * pool left non-daemon threads behind; any failure exits 1 with its stack trace.
   */
  static void run(Body body) {
    try {
      body.run();
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** {@code key=value} arguments after the JDBC URL, e.g. {@code pool=hikari threads=4}. */
  static Map<String, String> options(String[] args, int from) {
    Map<String, String> options = new HashMap<>();
    for (int i = from; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got " + args[i]);
      }
      options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    return options;
  }

  static int intOption(Map<String, String> options, String key, int defaultValue) {
    String value = options.get(key);
    return value == null ? defaultValue : Integer.parseInt(value);
  }

  /** One round trip, so every checkout really talks to the server. */
  static void selectOne(java.sql.Connection connection) throws java.sql.SQLException {
    try (java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery("SELECT 1")) {
      if (!rows.next() || rows.getInt(1) != 1) {
        throw new IllegalStateException("SELECT 1 returned no 1");
      }
    }
  }

  /**
   * With the agent: starts its exporter, which it does at the app's first JDBC call, and waits (at
   * most 30 s) until the exporter's threads run, then a moment for its span hook. The call asks for a
   * URL no driver accepts, so it changes no figure. Without the agent: returns at once.
   */
  static void awaitAgentExporting() {
    if (System.getProperty("poolscope.installed") == null) {
      return;
    }
    try {
      java.sql.DriverManager.getConnection("jdbc:poolscope-wake-up:");
    } catch (java.sql.SQLException expected) {
      // no suitable driver: the point was the call
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline
        && Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().startsWith("PeriodicMetricReader"))) {
      sleep(50);
    }
    sleep(200);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
