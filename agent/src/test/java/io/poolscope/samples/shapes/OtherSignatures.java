package io.poolscope.samples.shapes;

import java.sql.Connection;

/**
 * getConnections of other parameter lists, or returning no Connection: none of them is a
 * DataSource's, none woven.
 */
public class OtherSignatures {

  public Connection getConnection(int index) {
    return new StubConnection("index " + index);
  }

  public Connection getConnection(String name) {
    return new StubConnection("name " + name);
  }

  public Object getConnection(String user, String password) {
    return new StubConnection("object " + user);
  }

  public Connection getConnection(String user, String password, String schema) {
    return new StubConnection("schema " + schema);
  }

  public String getConnection(long timeout) {
    return "no connection in " + timeout;
  }
}
