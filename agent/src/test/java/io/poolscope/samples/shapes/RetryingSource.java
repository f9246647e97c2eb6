package io.poolscope.samples.shapes;

import io.poolscope.samples.DataSourceBase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Both getConnections start with a loop: the first instruction is the loop head, a branch target,
 * so the method's first stack map frame is at offset 0, where the enter advice goes. Both return
 * from inside the loop, and from more than one place.
 */
public class RetryingSource extends DataSourceBase {

  public final Connection connection;
  /** Attempts that fail before one succeeds. */
  public final int failures;
  public int attempts;

  public RetryingSource(Connection connection, int failures) {
    this.connection = connection;
    this.failures = failures;
  }

  /** {@code for (;;)}: three returns, two of them inside the loop. */
  @Override
  public Connection getConnection() throws SQLException {
    for (;;) {
      attempts++;
      if (attempts > failures) {
        return connection;
      }
      if (attempts >= 5) {
        return null;
      }
    }
  }

  /** {@code while (attempts++ < failures)}: returns and throws from inside the loop. */
  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    while (attempts++ < failures) {
      if (user == null) {
        return null;
      }
      if (password == null) {
        throw new SQLException("no password after " + attempts + " attempts");
      }
    }
    return connection;
  }
}
