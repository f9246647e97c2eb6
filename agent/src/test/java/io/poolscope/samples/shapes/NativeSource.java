package io.poolscope.samples.shapes;

import io.poolscope.samples.DataSourceBase;
import java.sql.Connection;

/**
 * A native getConnection() (not abstract, but it has no bytecode to weave) next to an ordinary
 * getConnection(String, String), which is woven.
 */
public class NativeSource extends DataSourceBase {

  @Override
  public native Connection getConnection();

  @Override
  public Connection getConnection(String user, String password) {
    return new StubConnection("java " + user);
  }
}
