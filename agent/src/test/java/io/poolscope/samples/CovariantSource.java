package io.poolscope.samples;

import io.poolscope.samples.shapes.StubConnection;
import java.sql.Connection;

/**
 * Narrows getConnection's return type, so javac adds a bridge {@code Connection getConnection()} that
 * calls it: a call through {@code DataSource} passes both.
 */
public class CovariantSource extends DataSourceBase {
  @Override
  public StubConnection getConnection() {
    return new StubConnection("covariant");
  }

  @Override
  public Connection getConnection(String user, String password) {
    return null;
  }
}
