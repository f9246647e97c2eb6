package io.poolscope.tests.bench;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * An unpooled DataSource, like a driver's own: every getConnection opens a new physical connection
 * through {@link StubDriver#connect}, and close() ends it. poolscope treats it as a driver's
 * DataSource through {@code poolscope.driver.packages} (see {@link Variant}).
 */
final class StubDataSource implements DataSource {

  private final StubDriver driver = new StubDriver();
  private final Properties info = new Properties();

  @Override
  public Connection getConnection() {
    return driver.connect(StubDriver.URL, info);
  }

  @Override
  public Connection getConnection(String user, String password) {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
