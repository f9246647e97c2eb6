package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A home-made DataSource that only delegates to HikariCP (pool {@code inner-hikari}), like the
 * routing or tracing wrappers frameworks put in front of a pool. One checkout must count once,
 * under the real pool's name.
 *
 * <p>Args: JDBC URL. Prints {@code DONE checkouts=200}.
 */
public final class DelegatingWrapperApp {

  static final int CHECKOUTS = 200;

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    int checkouts = 0;
    try (HikariDataSource inner = Pools.hikari(args[0], 2, "inner-hikari")) {
      DataSource wrapper = new DelegatingDataSource(inner);
      for (int i = 0; i < CHECKOUTS; i++) {
        try (Connection connection = wrapper.getConnection()) {
          AppMain.selectOne(connection);
          checkouts++;
        }
      }
      AppMain.sleep(600);
    }
    System.out.println("DONE checkouts=" + checkouts);
  }

  static final class DelegatingDataSource implements DataSource {
    private final DataSource target;

    DelegatingDataSource(DataSource target) {
      this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return target.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return target.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
      return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
      return type.isInstance(this) || target.isWrapperFor(type);
    }
  }
}
