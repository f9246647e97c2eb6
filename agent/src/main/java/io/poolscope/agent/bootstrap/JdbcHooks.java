package io.poolscope.agent.bootstrap;

import java.util.Properties;

/**
 * The static entry points the woven code calls. Woven into app classes, the calls must resolve from any
 * class loader: this class and {@link JdbcListener} are appended to the bootstrap search path at
 * startup and hold no logic. No throwable leaves a hook (the woven code has no handler of its own
 * around the calls): a failure inside poolscope never reaches the app. Parameters come in the order the
 * woven code has them on its operand stack.
 */
public final class JdbcHooks {

  private static volatile JdbcListener listener = JdbcListener.NOOP;

  private JdbcHooks() {}

  public static void install(JdbcListener newListener) {
    listener = newListener;
  }

  /** Returns what the woven method keeps in a local for its exit; null if the listener failed. */
  public static Object getConnectionEnter(Object dataSource) {
    try {
      return listener.getConnectionEnter(dataSource);
    } catch (Throwable t) {
      return null;
    }
  }

  public static void getConnectionReturned(Object connection, Object state) {
    try {
      listener.getConnectionExit(state, connection, null);
    } catch (Throwable t) {
      // suppressed: see the class comment
    }
  }

  public static void getConnectionThrew(Throwable thrown, Object state) {
    try {
      listener.getConnectionExit(state, null, thrown);
    } catch (Throwable t) {
      // suppressed: see the class comment
    }
  }

  public static void connectionClose(Object connection) {
    try {
      listener.connectionClose(connection);
    } catch (Throwable t) {
      // suppressed: see the class comment
    }
  }

  /** Returns what the woven method keeps in a local for the hooks below; null if the listener failed. */
  public static Object driverConnectEnter(String url) {
    try {
      return listener.driverConnectEnter(url);
    } catch (Throwable t) {
      return null;
    }
  }

  /** Returns the properties to connect with: {@code info} itself if the listener failed. */
  public static Properties driverConnectInfo(Object state, String url, Properties info) {
    try {
      return listener.driverConnectInfo(state, url, info);
    } catch (Throwable t) {
      return info;
    }
  }

  /** Returns the URL to connect with: {@code url} itself if the listener failed. */
  public static String driverConnectUrl(Object state, String url) {
    try {
      return listener.driverConnectUrl(state, url);
    } catch (Throwable t) {
      return url;
    }
  }

  public static void driverConnectReturned(Object connection, Object state) {
    try {
      listener.driverConnectExit(state, connection, null);
    } catch (Throwable t) {
      // suppressed: see the class comment
    }
  }

  public static void driverConnectThrew(Throwable thrown, Object state) {
    try {
      listener.driverConnectExit(state, null, thrown);
    } catch (Throwable t) {
      // suppressed: see the class comment
    }
  }
}
