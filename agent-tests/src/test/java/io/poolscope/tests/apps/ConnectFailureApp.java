package io.poolscope.tests.apps;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Physical connections that cannot be opened: a server that is not there (a closed port), asked
 * through DriverManager and through a driver DataSource.
 *
 * <p>Args: a JDBC URL nobody listens at, attempts through DriverManager, attempts through
 * PGSimpleDataSource, control directory. Prints {@code DONE failures=N}, then waits for
 * {@code exit} ({@link Commands#readyUntilExit}).
 */
public final class ConnectFailureApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    String url = args[0];
    int viaDriverManager = Integer.parseInt(args[1]);
    int viaDataSource = Integer.parseInt(args[2]);
    PGSimpleDataSource dataSource = Pools.pgSimple(url);
    int failures = 0;
    for (int i = 0; i < viaDriverManager + viaDataSource; i++) {
      try (Connection connection = i < viaDriverManager
          ? DriverManager.getConnection(url, AppMain.USER, null)
          : dataSource.getConnection()) {
        throw new IllegalStateException("connected to " + url);
      } catch (SQLException expected) {
        failures++;
      }
    }
    System.out.println("DONE failures=" + failures);
    Commands.readyUntilExit(args[3]);
  }
}
