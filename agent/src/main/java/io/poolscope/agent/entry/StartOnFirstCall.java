package io.poolscope.agent.entry;

import io.poolscope.agent.bootstrap.JdbcHooks;
import io.poolscope.agent.bootstrap.JdbcListener;
import io.poolscope.agent.config.Log;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The hooks' listener until the app first uses JDBC: that call starts tracking and export, installs
 * the tracker in the hooks (later calls go straight to it, with no check on the hot path) and is
 * passed on, so the figures miss nothing. An app that never uses JDBC never pays for the SDK. Spans
 * need the SDK, which starts on its own thread: those of checkouts ending before it is up wait for it
 * (a few hundred at most); {@code poolscope.spans=all} would soon pass that, so the SDK then starts at
 * premain instead.
 */
final class StartOnFirstCall implements JdbcListener {

  private final Supplier<JdbcListener> start;
  private volatile JdbcListener listener;

  StartOnFirstCall(Supplier<JdbcListener> start) {
    this.start = start;
  }

  private JdbcListener listener() {
    JdbcListener current = listener;
    if (current == null) {
      synchronized (this) {
        current = listener;
        if (current == null) {
          current = started();
          listener = current;
          JdbcHooks.install(current);
        }
      }
    }
    return current;
  }

  /**
   * Runs on the app's thread, which may be a webapp's: the threads started here (leak watcher, SDK)
   * must not inherit its context class loader, nor its access control context, which would keep the
   * webapp's loader alive after it is undeployed.
   */
  @SuppressWarnings("removal") // AccessController: on JDKs that still capture a thread's context
  private JdbcListener started() {
    Thread thread = Thread.currentThread();
    ClassLoader appLoader = thread.getContextClassLoader();
    thread.setContextClassLoader(StartOnFirstCall.class.getClassLoader());
    try {
      return AccessController.doPrivileged((PrivilegedAction<JdbcListener>) start::get);
    } catch (Throwable t) {
      Log.warn("poolscope could not start; the application runs without it", t);
      return JdbcListener.NOOP;
    } finally {
      thread.setContextClassLoader(appLoader);
    }
  }

  @Override
  public Object getConnectionEnter(Object dataSource) {
    return listener().getConnectionEnter(dataSource);
  }

  @Override
  public void getConnectionExit(Object state, Object connection, Throwable thrown) {
    listener().getConnectionExit(state, connection, thrown);
  }

  @Override
  public void connectionClose(Object connection) {
    listener().connectionClose(connection);
  }

  @Override
  public Object driverConnectEnter(String url) {
    return listener().driverConnectEnter(url);
  }

  @Override
  public Properties driverConnectInfo(Object state, String url, Properties info) {
    return listener().driverConnectInfo(state, url, info);
  }

  @Override
  public String driverConnectUrl(Object state, String url) {
    return listener().driverConnectUrl(state, url);
  }

  @Override
  public void driverConnectExit(Object state, Object connection, Throwable thrown) {
    listener().driverConnectExit(state, connection, thrown);
  }
}
