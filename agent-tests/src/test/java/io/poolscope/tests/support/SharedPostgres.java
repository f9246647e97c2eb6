package io.poolscope.tests.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

/**
 * One embedded PostgreSQL for the whole test JVM: starting one costs about 2 s, and the child JVMs
 * of all test classes can share it because each test tells its pools apart by name.
 */
public final class SharedPostgres {

  public static final String USER = "postgres";

  private SharedPostgres() {}

  /** Holder idiom: started on first use, safely from parallel test classes. */
  private static final class Holder {
    static final EmbeddedPostgres SERVER = start();

    private static EmbeddedPostgres start() {
      try {
        EmbeddedPostgres server = EmbeddedPostgres.builder().start();
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> closeQuietly(server), "shared-postgres-stop"));
        return server;
      } catch (IOException e) {
        throw new UncheckedIOException("could not start embedded PostgreSQL", e);
      }
    }

    private static void closeQuietly(EmbeddedPostgres server) {
      try {
        server.close();
      } catch (IOException | RuntimeException ignored) {
        // the JVM is exiting: nothing useful left to do with the error
      }
    }
  }

  public static int port() {
    return Holder.SERVER.getPort();
  }

  /** What the child apps get as their first argument; the user and no password go separately. */
  public static String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/postgres";
  }

  /** The pool name the agent derives for a pool without a name of its own: host:port/db. */
  public static String derivedPoolName() {
    return "localhost:" + port() + "/postgres";
  }

  /** Runs a query returning one number, e.g. {@code SELECT count(*) FROM pg_stat_activity}. */
  public static long queryLong(String sql) {
    try (Connection connection = Holder.SERVER.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      if (!rows.next()) {
        throw new IllegalStateException("no row from: " + sql);
      }
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** Connections the server has from clients that gave this {@code application_name}. */
  public static long connectionsOf(String applicationName) {
    return backendPids(applicationName).size();
  }

  /** The server processes (pg_stat_activity.pid) serving clients with this application_name. */
  public static Set<Long> backendPids(String applicationName) {
    String sql = "SELECT pid FROM pg_stat_activity"
        + " WHERE backend_type = 'client backend' AND application_name = ?";
    try (Connection connection = Holder.SERVER.getPostgresDatabase().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, applicationName);
      Set<Long> pids = new TreeSet<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          pids.add(rows.getLong(1));
        }
      }
      return pids;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** {@code SHOW max_connections}, as a DBA reads the limit. */
  public static long maxConnections() {
    return queryLong("SHOW max_connections");
  }

  /** Server connections from client backends (what a DBA would count), this query's own included. */
  public static long clientConnections() {
    return queryLong("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'");
  }
}
