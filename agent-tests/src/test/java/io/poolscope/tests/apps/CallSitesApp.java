package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Checkouts from known source lines of one HikariCP pool ({@code sites-pool}), one thread.
 * {@code two}: 40 reports holding 20 ms, then 40 quick lookups holding 2 ms (reports first, so the
 * cold JVM's slow first checkout cannot blur which site holds longer). {@code six}: 5 checkouts from
 * each of 6 lines, in order, holding nothing.
 *
 * <p>Args: JDBC URL, {@code two|six}. Prints {@code SITE <name> line=N} per site, then
 * {@code DONE checkouts=N}.
 */
public final class CallSitesApp {

  static final int PER_SITE_TWO = 40;
  static final int PER_SITE_SIX = 5;

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    int checkouts = 0;
    try (HikariDataSource pool = Pools.hikari(args[0], 2, "sites-pool")) {
      if (args[1].equals("two")) {
        for (int i = 0; i < PER_SITE_TWO; i++, checkouts++) {
          slowReport(pool);
        }
        for (int i = 0; i < PER_SITE_TWO; i++, checkouts++) {
          quickLookup(pool);
        }
      } else {
        for (int site = 0; site < 6; site++) {
          for (int i = 0; i < PER_SITE_SIX; i++, checkouts++) {
            borrowAt(site, pool).close();
          }
        }
      }
      AppMain.sleep(600);
    }
    System.out.println("DONE checkouts=" + checkouts);
  }

  private static void quickLookup(DataSource pool) throws SQLException {
    BorrowSite.announce("quick");
    try (Connection connection = pool.getConnection()) {
      AppMain.selectOne(connection);
      AppMain.sleep(2);
    }
  }

  private static void slowReport(DataSource pool) throws SQLException {
    BorrowSite.announce("slow");
    try (Connection connection = pool.getConnection()) {
      AppMain.selectOne(connection);
      AppMain.sleep(20);
    }
  }

  /** Six borrowing lines in one method: six call sites that differ only by line. */
  private static Connection borrowAt(int site, DataSource pool) throws SQLException {
    switch (site) {
      case 0 -> {
        BorrowSite.announce("site0");
        return pool.getConnection();
      }
      case 1 -> {
        BorrowSite.announce("site1");
        return pool.getConnection();
      }
      case 2 -> {
        BorrowSite.announce("site2");
        return pool.getConnection();
      }
      case 3 -> {
        BorrowSite.announce("site3");
        return pool.getConnection();
      }
      case 4 -> {
        BorrowSite.announce("site4");
        return pool.getConnection();
      }
      default -> {
        BorrowSite.announce("site5");
        return pool.getConnection();
      }
    }
  }
}
