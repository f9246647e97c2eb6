package io.poolscope.samples.shapes;

import io.poolscope.samples.DataSourceBase;
import java.sql.Connection;
import java.sql.SQLException;

/** Abstract getConnections only: no code to weave; the subclass that implements them is woven. */
public abstract class AbstractSource extends DataSourceBase {

  @Override
  public abstract Connection getConnection() throws SQLException;

  @Override
  public abstract Connection getConnection(String user, String password) throws SQLException;

  public int unrelated() {
    return 42;
  }
}
