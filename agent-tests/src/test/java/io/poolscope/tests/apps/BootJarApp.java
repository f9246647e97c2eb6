package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The Start-Class of a Spring Boot executable jar (see {@code support.BootJar}): HikariCP and the
 * driver come from nested jars through Spring Boot's class loader. Self-contained, because only
 * this class is copied into {@code BOOT-INF/classes}.
 *
 * <p>Args: JDBC URL, checkouts, rest ms. Prints where HikariCP was loaded from, then
 * {@code DONE checkouts=N}.
 */
public final class BootJarApp {

  public static final String POOL = "boot-pool";

  public static void main(String[] args) throws Exception {
    int checkouts = Integer.parseInt(args[1]);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername("postgres");
    config.setMaximumPoolSize(2);
    config.setPoolName(POOL);
    int done = 0;
    try (HikariDataSource pool = new HikariDataSource(config)) {
      System.out.println("LOADER " + HikariDataSource.class.getClassLoader().getClass().getName());
      System.out.println("HIKARI FROM "
          + HikariDataSource.class.getProtectionDomain().getCodeSource().getLocation());
      for (int i = 0; i < checkouts; i++) {
        try (Connection connection = pool.getConnection();
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT 1")) {
          rows.next();
          done++;
        }
      }
      // at rest for a few export intervals
      Thread.sleep(Long.parseLong(args[2]));
    }
    System.out.println("DONE checkouts=" + done);
    System.exit(0);
  }
}
