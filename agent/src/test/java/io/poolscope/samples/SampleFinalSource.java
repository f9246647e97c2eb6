package io.poolscope.samples;

import java.sql.Connection;

/** A final DataSource (many drivers' are): final, but woven all the same (see JdbcInstrumentation). */
public final class SampleFinalSource extends DataSourceBase {
  @Override
  public Connection getConnection() {
    return null;
  }

  @Override
  public Connection getConnection(String user, String password) {
    return null;
  }
}
