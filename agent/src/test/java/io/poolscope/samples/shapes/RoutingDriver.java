package io.poolscope.samples.shapes;

import io.poolscope.samples.DriverBase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A driver as DriverManager sees them: returns null early for URLs that are not its own, throws for
 * a server that is down, rewrites an alias URL in its own parameter, and records the URL and user it
 * was called with, so that tests can tell whether it saw what the caller passed or what poolscope
 * replaced it with.
 */
public class RoutingDriver extends DriverBase {

  public static final String PREFIX = "jdbc:shapes:";
  /** Another spelling of {@link #PREFIX}, which the driver rewrites its url parameter to. */
  public static final String ALIAS = "jdbc:shapes-alias:";

  /** "url user" for every connect. */
  public final List<String> seen = new ArrayList<>();

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    seen.add(url + " " + info.getProperty("user"));
    if (url.startsWith(ALIAS)) {
      url = PREFIX + url.substring(ALIAS.length()); // reassigns the parameter, as some drivers do
    }
    if (!url.startsWith(PREFIX)) {
      return null;
    }
    if (url.endsWith(":down")) {
      throw new SQLException("server down: " + url, "08001");
    }
    return new StubConnection(url + " as " + info.getProperty("user"));
  }

  @Override
  public boolean acceptsURL(String url) {
    return url.startsWith(PREFIX);
  }
}
