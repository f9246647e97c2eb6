package io.poolscope.agent.bootstrap;

import java.util.Properties;

/**
 * What the inlined JDBC advice reports. Lives in the bootstrap class loader so that advice inlined into
 * classes of any class loader can reach it; the implementation lives with the rest of the agent.
 */
public interface JdbcListener {

  /**
   * Entered {@code DataSource.getConnection} (any nesting depth); returns what the advice hands to the
   * matching exit, so it need not look up its thread's state again. Null: nothing to track.
   */
  Object getConnectionEnter(Object dataSource);

  /**
   * Left {@code DataSource.getConnection}; {@code state}: what the enter returned. Exactly one of
   * {@code connection}, {@code thrown} is non-null.
   */
  void getConnectionExit(Object state, Object connection, Throwable thrown);

  /** Entered {@code Connection.close()}. */
  void connectionClose(Object connection);

  /**
   * Entered {@code Driver.connect}; returns what the advice hands to the hooks below, so they need not
   * look up the thread's state again. Null: nothing to track (a wrapping driver's call of the real one).
   */
  Object driverConnectEnter(String url);

  /** Right after {@link #driverConnectEnter}; returns the properties to connect with. */
  Properties driverConnectInfo(Object state, String url, Properties info);

  /** Right after {@link #driverConnectInfo}; returns the URL to connect with. */
  String driverConnectUrl(Object state, String url);

  /** Left {@code Driver.connect}; a null connection means the driver declined the URL. */
  void driverConnectExit(Object state, Object connection, Throwable thrown);

  /** The null object in place until the agent has installed its tracker. */
  JdbcListener NOOP =
      new JdbcListener() {
        @Override
        public Object getConnectionEnter(Object dataSource) {
          return null;
        }

        @Override
        public void getConnectionExit(Object state, Object connection, Throwable thrown) {}

        @Override
        public void connectionClose(Object connection) {}

        @Override
        public Object driverConnectEnter(String url) {
          return null;
        }

        @Override
        public Properties driverConnectInfo(Object state, String url, Properties info) {
          return info;
        }

        @Override
        public String driverConnectUrl(Object state, String url) {
          return url;
        }

        @Override
        public void driverConnectExit(Object state, Object connection, Throwable thrown) {}
      };
}
