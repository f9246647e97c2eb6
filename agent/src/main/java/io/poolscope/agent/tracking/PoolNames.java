package io.poolscope.agent.tracking;

import java.util.regex.Pattern;

/**
 * Names a pool the way its users know it: the pool's own name where it has one, else
 * {@code server.address:server.port/db.namespace} from its JDBC URL (credentials and parameters never
 * copied), else the DataSource's simple class name.
 */
final class PoolNames {

  /** Getters of a pool's own name; values a pool generates itself are not the user's name. */
  private static final String[] NAME_GETTERS = {"getPoolName", "getDataSourceName", "getName"};

  private static final String[] URL_GETTERS = {"getJdbcUrl", "getUrl", "getURL"};

  /** c3p0 names an unnamed pool by its random identity token; tomcat-jdbc by a counter. */
  private static final Pattern GENERATED_NAME = Pattern.compile("Tomcat Connection Pool\\[.*");

  private PoolNames() {}

  /** A driver's DataSource has no pool name: its name getters describe the driver. */
  static String of(Object dataSource, boolean driver) {
    for (String getter : driver ? new String[0] : NAME_GETTERS) {
      String name = Reflect.string(dataSource, getter);
      if (name != null && !isGenerated(dataSource, name)) {
        return name;
      }
    }
    Server server = server(dataSource);
    if (server != null) {
      return server.name();
    }
    Class<?> type = dataSource.getClass();
    return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
  }

  /** The server the DataSource's URL getter points at, or null. */
  static Server server(Object dataSource) {
    for (String getter : URL_GETTERS) {
      Server server = Server.fromJdbcUrl(Reflect.string(dataSource, getter));
      if (server != null) {
        return server;
      }
    }
    return null;
  }

  private static boolean isGenerated(Object dataSource, String name) {
    return GENERATED_NAME.matcher(name).matches()
        || name.equals(Reflect.string(dataSource, "getIdentityToken"));
  }
}
