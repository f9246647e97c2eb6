package io.poolscope.tests.apps;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pool as teams write their own: {@code size} physical connections opened up front with
 * DriverManager, lent out behind a thin proxy whose close() puts the connection back. It has a
 * name but no getter poolscope knows for idle counts or limits, so poolscope must derive its idle
 * count: open physical connections minus those lent out. Public, as a pool class is: poolscope
 * reads its name only through public types.
 */
public final class HomeMadePool extends DataSourceAdapter implements AutoCloseable {

  private final String name;
  private final List<Connection> all = new ArrayList<>();
  private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();

  HomeMadePool(String url, int size, String name) throws SQLException {
    this.name = name;
    for (int i = 0; i < size; i++) {
      Connection physical = DriverManager.getConnection(url, AppMain.USER, null);
      all.add(physical);
      idle.add(physical);
    }
  }

  public String getPoolName() {
    return name;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection physical;
    try {
      physical = idle.poll(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", e);
    }
    if (physical == null) {
      throw new SQLTransientConnectionException(name + ": no connection free within 5 s");
    }
    return lend(physical);
  }

  /** The app's handle: close() returns the connection; anything else goes to it until then. */
  private Connection lend(Connection physical) {
    AtomicBoolean returned = new AtomicBoolean();
    // the app's loader defines the proxy class, so it is instrumented like any app class
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "close" -> {
              if (returned.compareAndSet(false, true)) {
                idle.add(physical);
              }
              return null;
            }
            case "isClosed" -> {
              return returned.get();
            }
            case "equals" -> {
              return proxy == args[0];
            }
            case "hashCode" -> {
              return System.identityHashCode(proxy);
            }
            case "toString" -> {
              return name + " lease of " + physical;
            }
            default -> {
              if (returned.get()) {
                throw new SQLException("connection already returned to " + name);
              }
              try {
                return method.invoke(physical, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }
          }
        });
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(name + " has one user");
  }

  @Override
  public void close() throws SQLException {
    for (Connection physical : all) {
      physical.close();
    }
  }
}
