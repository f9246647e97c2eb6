package io.poolscope.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the PostgreSQL server itself sees, the view a DBA has: client connections per
 * {@code application_name} (each worker sets its own) and the server's {@code max_connections}.
 * The demo's own monitoring connection is left out of every count.
 */
final class ServerView {

  /** Connections per application_name ("" when unset), and the server's limit. */
  record Snapshot(Map<String, Integer> connectionsByApplication, int maxConnections) {
    int total() {
      return connectionsByApplication.values().stream().mapToInt(Integer::intValue).sum();
    }

    int of(String applicationName) {
      return connectionsByApplication.getOrDefault(applicationName, 0);
    }
  }

  private static final String BY_APPLICATION =
      "SELECT coalesce(application_name, ''), count(*) FROM pg_stat_activity"
          + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1";

  private final String jdbcUrl;
  private final Properties properties = new Properties();

  ServerView(String jdbcUrl, String user, String password) {
    this.jdbcUrl = jdbcUrl;
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "poolscope-demo");
    properties.setProperty("connectTimeout", "5");
  }

  /** A fresh connection each time: the demo holds none of its own between tables. */
  Snapshot snapshot() throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        Statement statement = connection.createStatement()) {
      Map<String, Integer> byApplication = new TreeMap<>();
      try (ResultSet rows = statement.executeQuery(BY_APPLICATION)) {
        while (rows.next()) {
          byApplication.put(rows.getString(1), rows.getInt(2));
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT current_setting('max_connections')::int")) {
        rows.next();
        return new Snapshot(byApplication, rows.getInt(1));
      }
    }
  }
}
