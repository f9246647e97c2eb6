package io.poolscope.samples;

import java.io.PrintWriter;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A DataSource's methods other than getConnection, for test DataSources to declare only that. */
public abstract class DataSourceBase implements DataSource {

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
