package io.poolscope.agent.bootstrap;

import java.util.Properties;

/**
 * The one static entry point the advice calls. Advice is inlined into app classes, so everything it
 * references must be visible from any class loader: this class and {@link JdbcListener} are appended to
 * the bootstrap search path at startup and hold no logic.
 */
public final class JdbcHooks {

  private static volatile JdbcListener listener = JdbcListener.NOOP;

  private JdbcHooks() {}

  public static void install(JdbcListener newListener) {
    listener = newListener;
  }

  public static Object getConnectionEnter(Object dataSource) {
    return listener.getConnectionEnter(dataSource);
  }

  public static void getConnectionExit(Object state, Object connection, Throwable thrown) {
    listener.getConnectionExit(state, connection, thrown);
  }

  public static void connectionClose(Object connection) {
    listener.connectionClose(connection);
  }

  public static Properties driverConnectEnter(String url, Properties info) {
    return listener.driverConnectEnter(url, info);
  }

  public static String driverConnectUrl(String url) {
    return listener.driverConnectUrl(url);
  }

  public static void driverConnectExit(String url, Object connection, Throwable thrown) {
    listener.driverConnectExit(url, connection, thrown);
  }
}
