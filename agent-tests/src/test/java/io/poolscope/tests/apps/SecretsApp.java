package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.commons.dbcp2.BasicDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Connects every way a password travels: in the JDBC URL ({@code ?password=}) of HikariCP,
 * commons-dbcp2, PGSimpleDataSource and DriverManager; in connection Properties; as
 * {@code getConnection(user, password)}; in a {@code user:password@host} URL the driver refuses;
 * and in the URL of a connect that fails. The embedded PostgreSQL trusts local connections, so the
 * password is sent and ignored. One checkout is held past the leak threshold the test sets, so
 * leak logging runs too. Never prints the password, nor any exception (which could carry a URL).
 *
 * <p>Args: JDBC URL, password, a port nothing listens on, control directory. Prints
 * {@code DONE failures=2}, then waits for {@code exit} ({@link Commands#readyUntilExit}).
 */
public final class SecretsApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    String url = args[0];
    String password = args[1];
    String withPassword = url + "?password=" + password;

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(withPassword);
    config.setUsername(AppMain.USER);
    config.setPassword(password);
    config.addDataSourceProperty("password", password);
    config.setPoolName("secret-pool");
    config.setMaximumPoolSize(2);
    try (HikariDataSource hikari = new HikariDataSource(config)) {
      for (int i = 0; i < 10; i++) {
        try (Connection connection = hikari.getConnection()) {
          AppMain.selectOne(connection);
        }
      }
      try (Connection connection = hikari.getConnection()) {
        AppMain.selectOne(connection);
        AppMain.sleep(800); // past poolscope.leak.threshold
      }
    }

    BasicDataSource dbcp2 = new BasicDataSource();
    dbcp2.setUrl(withPassword);
    dbcp2.setUsername(AppMain.USER);
    dbcp2.setPassword(password);
    try (dbcp2; Connection connection = dbcp2.getConnection()) {
      AppMain.selectOne(connection);
    }

    PGSimpleDataSource simple = new PGSimpleDataSource();
    simple.setURL(withPassword);
    try (Connection connection = simple.getConnection(AppMain.USER, password)) {
      AppMain.selectOne(connection);
    }

    Properties properties = new Properties();
    properties.setProperty("user", AppMain.USER);
    properties.setProperty("password", password);
    try (Connection connection = DriverManager.getConnection(withPassword, properties)) {
      AppMain.selectOne(connection);
    }

    int failures = 0;
    String host = url.substring(url.indexOf("//") + 2);
    try (Connection connection = DriverManager.getConnection(
        "jdbc:postgresql://" + AppMain.USER + ":" + password + "@" + host)) {
      throw new IllegalStateException("connected through a user:password@ URL");
    } catch (SQLException expected) {
      failures++;
    }
    String closedPort = "jdbc:postgresql://localhost:" + args[2] + "/postgres?password=" + password;
    try (Connection connection = DriverManager.getConnection(closedPort, properties)) {
      throw new IllegalStateException("connected to a closed port");
    } catch (SQLException expected) {
      failures++;
    }

    System.out.println("DONE failures=" + failures);
    Commands.readyUntilExit(args[3]);
  }
}
