package io.poolscope.tests.apps;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A home-made DataSource that fails like a real one: first N timeouts, then M plain vendor
 * errors, then K real connections from PGSimpleDataSource.
 *
 * <p>Args: JDBC URL, N, M, K. Prints {@code DONE timeouts=N errors=M checkouts=K}.
 */
public final class FailingDataSourceApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    int timeouts = Integer.parseInt(args[1]);
    int errors = Integer.parseInt(args[2]);
    int successes = Integer.parseInt(args[3]);
    ScriptedDataSource dataSource =
        new ScriptedDataSource(Pools.pgSimple(args[0]), timeouts, errors);

    int seenTimeouts = 0;
    int seenErrors = 0;
    int checkouts = 0;
    for (int i = 0; i < timeouts + errors + successes; i++) {
      try (Connection connection = dataSource.getConnection()) {
        AppMain.selectOne(connection);
        checkouts++;
      } catch (SQLTransientConnectionException e) {
        seenTimeouts++;
      } catch (SQLException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("FATAL")) {
          throw e; // not one of ours: a real failure
        }
        seenErrors++;
      }
    }
    AppMain.sleep(600);
    System.out.println(
        "DONE timeouts=" + seenTimeouts + " errors=" + seenErrors + " checkouts=" + checkouts);
  }

  /** Fails the first calls on purpose, then hands out real connections. */
  static final class ScriptedDataSource extends DataSourceAdapter {
    private final PGSimpleDataSource real;
    private int timeoutsLeft;
    private int errorsLeft;

    ScriptedDataSource(PGSimpleDataSource real, int timeouts, int errors) {
      this.real = real;
      this.timeoutsLeft = timeouts;
      this.errorsLeft = errors;
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
      if (timeoutsLeft > 0) {
        timeoutsLeft--;
        throw new SQLTransientConnectionException("scripted - Connection is not available, request timed out after 30000ms.");
      }
      if (errorsLeft > 0) {
        errorsLeft--;
        // what a server refusing a login looks like: vendor message and SQLState
        throw new SQLException("FATAL: sorry, too many clients already", "53300");
      }
      return real.getConnection();
    }
  }
}
