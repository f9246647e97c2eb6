package io.poolscope.samples.shapes;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executor;

/** A connection whose close() starts with a loop (a branch target at offset 0) and whose abort throws. */
public class LoopingConnection extends ConnectionBase {

  public int pending;
  public int drained;
  public int closes;
  public int aborts;
  public boolean failNextClose;
  public boolean closed;

  public LoopingConnection(int pending) {
    this.pending = pending;
  }

  @Override
  public void close() throws SQLException {
    while (pending > 0) {
      pending--;
      drained++;
    }
    closes++;
    if (failNextClose) {
      failNextClose = false;
      throw new SQLException("close failed");
    }
    closed = true;
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    aborts++;
    if (executor == null) {
      throw new SQLException("abort needs an executor");
    }
    closed = true;
    throw new SQLFeatureNotSupportedException("abort");
  }

  @Override
  public boolean isClosed() {
    return closed;
  }
}
