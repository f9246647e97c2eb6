package io.poolscope.tests.apps;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A long-running service's connections, held until the test says otherwise: a pool filled to its
 * size ({@link Pools#full}), or without a pool, connections the app opens itself (pgsimple:
 * PGSimpleDataSource; drivermanager: DriverManager). After one warm-up checkout it keeps
 * {@code hold} connections checked out, prints {@code READY at=EPOCH_MS} and follows commands
 * ({@link Commands}): {@code release} closes the held connections, {@code close} closes the pool,
 * {@code evict} soft-evicts every HikariCP connection (what maxLifetime does), {@code exit} exits
 * with everything still open, as a killed worker would.
 *
 * <p>Args: JDBC URL, then {@code source=hikari|dbcp2|c3p0|tomcat|homemade|pgsimple|drivermanager
 * size=N hold=N name=NAME control=DIR}.
 */
public final class HoldConnectionsApp {

  public static void main(String[] args) {
    AppMain.run(() -> run(args));
  }

  private static void run(String[] args) throws Exception {
    String url = args[0];
    Map<String, String> options = AppMain.options(args, 1);
    String source = options.getOrDefault("source", "hikari");
    int size = AppMain.intOption(options, "size", 5);
    int hold = AppMain.intOption(options, "hold", 0);
    Commands commands = new Commands(options.get("control"));

    Pools.Pool pool = source.equals("drivermanager")
        ? null
        : Pools.full(source, url, size, options.get("name"));
    Callable<Connection> open = pool == null
        ? () -> DriverManager.getConnection(url, AppMain.USER, null)
        : pool.dataSource()::getConnection;
    // one checkout first: poolscope learns the pool, as in any service after its first request
    try (Connection connection = open.call()) {
      AppMain.selectOne(connection);
    }
    List<Connection> held = new ArrayList<>();
    for (int i = 0; i < hold; i++) {
      Connection connection = open.call();
      AppMain.selectOne(connection);
      held.add(connection);
    }
    System.out.println("READY at=" + System.currentTimeMillis());

    while (true) {
      String command = commands.next();
      switch (Commands.verb(command)) {
        case "release" -> {
          for (Connection connection : held) {
            connection.close();
          }
          held.clear();
        }
        case "close" -> {
          if (pool != null) {
            pool.close();
          }
        }
        case "evict" -> pool.dataSource().unwrap(HikariDataSource.class)
            .getHikariPoolMXBean().softEvictConnections();
        case "exit" -> {
          Commands.done(command);
          return;
        }
        default -> throw new IllegalArgumentException("unknown command " + command);
      }
      Commands.done(command);
    }
  }
}
