package io.poolscope.samples.shapes;

import io.poolscope.samples.DataSourceBase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * try/catch/finally inside a synchronized block, and long and double locals (two slots each) before
 * and after the branches: the method's own exception table (the catch, the finally's catch-any, the
 * monitor's catch-any) must stay ahead of the advice's handler, and the advice's locals must not
 * overlap the two-slot ones.
 */
public class GuardedSource extends DataSourceBase {

  public final Object lock = new Object();
  public final Connection connection;
  public boolean fail;
  public boolean rethrow;
  public long borrowed;
  public long failures;
  public long released;
  public double load;
  public boolean heldMonitor;

  public GuardedSource(Connection connection) {
    this.connection = connection;
  }

  @Override
  public Connection getConnection() throws SQLException {
    long started = borrowed;
    double weight = 0.5;
    Connection result;
    synchronized (lock) {
      try {
        if (fail) {
          throw new SQLException("pool exhausted");
        }
        long count = ++borrowed;
        double share = count * weight;
        load += share;
        result = connection;
      } catch (SQLException e) {
        long count = ++failures;
        if (rethrow) {
          throw new SQLException("gave up after " + count + " failure(s)", e);
        }
        result = null;
      } finally {
        released++;
      }
    }
    long after = borrowed - started;
    double ratio = after * weight;
    load += ratio;
    return result;
  }

  /** A synchronized method (ACC_SYNCHRONIZED, no monitor instructions) with a loop over doubles. */
  @Override
  public synchronized Connection getConnection(String user, String password) throws SQLException {
    heldMonitor = Thread.holdsLock(this);
    double budget = password.length();
    long tries = 0;
    try {
      while (budget > 0) {
        tries++;
        budget -= 1.5;
        if (tries == 2 && user.equals("flaky")) {
          throw new IllegalStateException("flaky after " + tries);
        }
      }
    } catch (IllegalStateException e) {
      throw new SQLException(e.getMessage(), e);
    }
    double spent = tries * 1.5;
    load += spent;
    return tries > 1 ? connection : null;
  }
}
