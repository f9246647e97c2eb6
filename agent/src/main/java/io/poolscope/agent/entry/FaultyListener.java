package io.poolscope.agent.entry;

import io.poolscope.agent.bootstrap.JdbcListener;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Properties;

/**
 * Test-only ({@code poolscope.test.fault=true}): tracks as usual, then throws from every hook, so
 * tests can prove that a failure inside poolscope never reaches the app.
 */
final class FaultyListener implements JdbcListener {

  private final JdbcListener delegate;

  /** The delegate's states of the calls in progress on each thread, innermost first. */
  private static final class States extends ThreadLocal<Deque<Optional<Object>>> {
    @Override
    protected Deque<Optional<Object>> initialValue() {
      return new ArrayDeque<>();
    }

    void push(Object state) {
      get().push(Optional.ofNullable(state));
    }

    Object peek() {
      return get().peek().orElse(null);
    }

    Object pop() {
      return get().pop().orElse(null);
    }
  }

  private final States states = new States();
  private final States connectStates = new States();

  FaultyListener(JdbcListener delegate) {
    this.delegate = delegate;
  }

  private static IllegalStateException fault() {
    return new IllegalStateException("poolscope.test.fault: forced failure inside poolscope");
  }

  @Override
  public Object getConnectionEnter(Object dataSource) {
    states.push(delegate.getConnectionEnter(dataSource));
    throw fault();
  }

  /** {@code state} is null (the enter threw): the delegate gets what its enter returned. */
  @Override
  public void getConnectionExit(Object state, Object connection, Throwable thrown) {
    delegate.getConnectionExit(states.pop(), connection, thrown);
    throw fault();
  }

  @Override
  public void connectionClose(Object connection) {
    delegate.connectionClose(connection);
    throw fault();
  }

  @Override
  public Object driverConnectEnter(String url) {
    connectStates.push(delegate.driverConnectEnter(url));
    throw fault();
  }

  /** {@code state} is null here and below (the enter threw): the delegate gets what its enter returned. */
  @Override
  public Properties driverConnectInfo(Object state, String url, Properties info) {
    delegate.driverConnectInfo(connectStates.peek(), url, info);
    throw fault();
  }

  @Override
  public String driverConnectUrl(Object state, String url) {
    delegate.driverConnectUrl(connectStates.peek(), url);
    throw fault();
  }

  @Override
  public void driverConnectExit(Object state, Object connection, Throwable thrown) {
    delegate.driverConnectExit(connectStates.pop(), connection, thrown);
    throw fault();
  }
}
