package io.poolscope.agent.tracking;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
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

  // jdbc:<subprotocol>:[//][user[:password]@]host[:port][/database][?params|;params]
  private static final Pattern URL =
      Pattern.compile(
          "jdbc:([a-zA-Z0-9]+):(?:[a-zA-Z0-9]+:)*//(?:[^@/?;]*@)?(\\[[^\\]]+\\]|[^:/?;,]+)(?::(\\d+))?(?:[/:]([^?;/:=]*))?.*");

  private static final Map<String, Integer> DEFAULT_PORTS =
      Map.of(
          "postgresql", 5432,
          "mysql", 3306,
          "mariadb", 3306,
          "sqlserver", 1433,
          "oracle", 1521,
          "db2", 50000);

  private PoolNames() {}

  /** A driver's DataSource has no pool name: its name getters describe the driver. */
  static String of(Object dataSource, boolean driver) {
    Class<?> type = dataSource.getClass();
    for (String getter : driver ? new String[0] : NAME_GETTERS) {
      String name = stringProperty(dataSource, type, getter);
      if (name != null && !isGenerated(dataSource, type, name)) {
        return name;
      }
    }
    for (String getter : URL_GETTERS) {
      String url = stringProperty(dataSource, type, getter);
      if (url != null) {
        String fromUrl = fromJdbcUrl(url);
        if (fromUrl != null) {
          return fromUrl;
        }
      }
    }
    return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
  }

  private static boolean isGenerated(Object dataSource, Class<?> type, String name) {
    return GENERATED_NAME.matcher(name).matches()
        || name.equals(stringProperty(dataSource, type, "getIdentityToken"));
  }

  /** {@code host:port/database} from a JDBC URL, or null where the URL has no such shape. */
  static String fromJdbcUrl(String url) {
    Matcher m = URL.matcher(url.trim());
    if (!m.matches()) {
      return null;
    }
    String subprotocol = m.group(1).toLowerCase(Locale.ROOT);
    String host = m.group(2);
    String port = m.group(3);
    if (port == null) {
      Integer defaultPort = DEFAULT_PORTS.get(subprotocol);
      port = defaultPort == null ? null : defaultPort.toString();
    }
    String database = m.group(4);
    StringBuilder name = new StringBuilder(host);
    if (port != null) {
      name.append(':').append(port);
    }
    if (database != null && !database.isEmpty()) {
      name.append('/').append(database);
    }
    return name.toString();
  }

  private static String stringProperty(Object target, Class<?> type, String getter) {
    Method method = IdleProbe.publicGetter(type, getter);
    if (method == null || method.getReturnType() != String.class) {
      return null;
    }
    try {
      String value = (String) method.invoke(target);
      return value == null || value.isBlank() ? null : value;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
