package io.poolscope.samples;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A final DataSource (many drivers' are): final, but woven all the same (see JdbcInstrumentation). */
public final class SampleFinalSource implements DataSource {
  @Override
  public Connection getConnection() {
    return null;
  }

  @Override
  public Connection getConnection(String user, String password) {
    return null;
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
  public Logger getParentLogger() {
    return null;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return null;
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
