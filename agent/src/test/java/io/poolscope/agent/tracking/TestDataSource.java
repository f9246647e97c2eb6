package io.poolscope.agent.tracking;

import io.poolscope.samples.DataSourceBase;
import java.sql.Connection;

/** A pool-like DataSource for driving the tracker directly; its methods are never called. */
public class TestDataSource extends DataSourceBase {

  private final String poolName;

  public TestDataSource(String poolName) {
    this.poolName = poolName;
  }

  public String getPoolName() {
    return poolName;
  }

  public int getNumIdle() {
    return 2;
  }

  @Override
  public Connection getConnection() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Connection getConnection(String user, String password) {
    throw new UnsupportedOperationException();
  }
}
