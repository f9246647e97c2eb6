package io.poolscope.samples.shapes;

import io.poolscope.samples.DataSourceBase;
import java.sql.Connection;
import java.sql.SQLException;

/** getConnections that throw: a checked, an unchecked, an implicit (JVM-raised) exception and an error. */
public class FailingSource extends DataSourceBase {

  public final SQLException checked;
  public final RuntimeException unchecked;
  public final Connection connection;

  public FailingSource(SQLException checked, RuntimeException unchecked, Connection connection) {
    this.checked = checked;
    this.unchecked = unchecked;
    this.connection = connection;
  }

  /** Throws {@link #checked} if there is one, else {@link #unchecked}: every path ends in athrow. */
  @Override
  public Connection getConnection() throws SQLException {
    if (checked != null) {
      throw checked;
    }
    throw unchecked;
  }

  /**
   * A null user: the JVM raises the NullPointerException, no athrow in sight. A null password: an
   * Error. Otherwise the connection.
   */
  @Override
  public Connection getConnection(String user, String password) {
    if (user.length() > 0 && password == null) {
      throw new AssertionError("no password for " + user);
    }
    return connection;
  }
}
