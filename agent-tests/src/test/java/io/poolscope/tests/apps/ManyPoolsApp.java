package io.poolscope.tests.apps;

import java.sql.Connection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Many distinct DataSources to one database, as code that builds one per request or per tenant
 * does: the agent must cap how many pools it reports.
 *
 * <p>Args: JDBC URL, optional count (default 30). Prints {@code DONE pools=30 checkouts=30}.
 */
public final class ManyPoolsApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    PGSimpleDataSource[] dataSources = new PGSimpleDataSource[count];
    int checkouts = 0;
    for (int i = 0; i < count; i++) {
      dataSources[i] = Pools.pgSimple(args[0]);
      // distinct settings, as distinct tenants would have; shows in pg_stat_activity too
      dataSources[i].setApplicationName("many-pools-" + i);
      try (Connection connection = dataSources[i].getConnection()) {
        AppMain.selectOne(connection);
        checkouts++;
      }
    }
    AppMain.sleep(600);
    // keep every DataSource reachable until the end: a collected one could free its pool slot
    System.out.println("DONE pools=" + dataSources.length + " checkouts=" + checkouts);
  }
}
