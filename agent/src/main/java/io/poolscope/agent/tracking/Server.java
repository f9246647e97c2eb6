package io.poolscope.agent.tracking;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database server as a JDBC URL names it: system, address, port and database, never credentials or
 * parameters. Also holds the server's connection limit once read.
 */
public final class Server {

  // jdbc:<subprotocol>:[<sub>:]//[user[:password]@]host[:port][/database][?params|;params]
  private static final Pattern URL =
      Pattern.compile(
          "jdbc:([a-zA-Z0-9]+):(?:[a-zA-Z0-9]+:)*//(?:[^@/?;]*@)?(\\[[^\\]]+\\]|[^:/?;,]+)(?::(\\d+))?(?:[/:]([^?;/:=]*))?.*");

  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of(
          "postgresql", 5432,
          "mysql", 3306,
          "mariadb", 3306,
          "sqlserver", 1433,
          "oracle", 1521,
          "db2", 50000);

  /** Semconv {@code db.system.name} values where they differ from the JDBC subprotocol. */
  private static final Map<String, String> SYSTEM_NAMES =
      Map.of("sqlserver", "microsoft.sql_server", "db2", "ibm.db2", "oracle", "oracle.db");

  private final String system;
  private final String address;
  private final int port;
  private final String database;
  private volatile long maxConnections = -1;
  private final AtomicBoolean limitClaimed = new AtomicBoolean();

  Server(String system, String address, int port, String database) {
    this.system = system;
    this.address = address;
    this.port = port;
    this.database = database;
  }

  /** The server a JDBC URL points at, or null where the URL has no host part. */
  static Server fromJdbcUrl(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = URL.matcher(url.trim());
    if (!m.matches()) {
      return null;
    }
    String subprotocol = m.group(1).toLowerCase(Locale.ROOT);
    int port = m.group(3) != null ? Integer.parseInt(m.group(3)) : DEFAULT_PORTS.getOrDefault(subprotocol, -1);
    String database = m.group(4) == null || m.group(4).isEmpty() ? null : m.group(4);
    return new Server(SYSTEM_NAMES.getOrDefault(subprotocol, subprotocol), m.group(2), port, database);
  }

  /** {@code host:port/database}: the semantic conventions' pool name for a pool without one. */
  public String name() {
    StringBuilder name = new StringBuilder(address);
    if (port >= 0) {
      name.append(':').append(port);
    }
    if (database != null) {
      name.append('/').append(database);
    }
    return name.toString();
  }

  public String system() {
    return system;
  }

  public String address() {
    return address;
  }

  /** The port, or -1 where neither the URL nor the system's default gives one. */
  public int port() {
    return port;
  }

  /** The database (db.namespace), or null. */
  public String database() {
    return database;
  }

  /** The server's {@code max_connections}, or -1 until read. */
  public long maxConnections() {
    return maxConnections;
  }

  void maxConnections(long value) {
    maxConnections = value;
  }

  /** True for exactly one caller: the one that reads the limit. */
  boolean claimLimitRead() {
    return limitClaimed.compareAndSet(false, true);
  }

  boolean isPostgres() {
    return system.equals("postgresql");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Server)) {
      return false;
    }
    Server other = (Server) o;
    return port == other.port
        && system.equals(other.system)
        && address.equals(other.address)
        && Objects.equals(database, other.database);
  }

  @Override
  public int hashCode() {
    return Objects.hash(system, address, port, database);
  }

  @Override
  public String toString() {
    return system + "://" + name();
  }
}
