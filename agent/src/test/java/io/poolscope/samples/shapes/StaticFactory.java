package io.poolscope.samples.shapes;

import java.sql.Connection;

/** Static getConnections, as DriverManager's: no DataSource receiver, never woven. */
public class StaticFactory {

  public static int calls;

  public static Connection getConnection() {
    calls++;
    return new StubConnection("static");
  }

  public static Connection getConnection(String user, String password) {
    calls++;
    return new StubConnection("static " + user);
  }
}
