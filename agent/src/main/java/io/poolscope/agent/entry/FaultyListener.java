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

  /** The delegate's states of the getConnection calls in progress on each thread, innermost first. */
  private final ThreadLocal<Deque<Optional<Object>>> states = ThreadLocal.withInitial(ArrayDeque::new);

  /** The same for the Driver.connect calls. */
  private final ThreadLocal<Deque<Optional<Object>>> connectStates =
      ThreadLocal.withInitial(ArrayDeque::new);

  FaultyListener(JdbcListener delegate) {
    this.delegate = delegate;
  }

  private static IllegalStateException fault() {
    return new IllegalStateException("poolscope.test.fault: forced failure inside poolscope");
  }

  @Override
  public Object getConnectionEnter(Object dataSource) {
    states.get().push(Optional.ofNullable(delegate.getConnectionEnter(dataSource)));
    throw fault();
  }

  /** {@code state} is null (the enter threw): the delegate gets what its enter returned. */
  @Override
  public void getConnectionExit(Object state, Object connection, Throwable thrown) {
    delegate.getConnectionExit(states.get().pop().orElse(null), connection, thrown);
    throw fault();
  }

  @Override
  public void connectionClose(Object connection) {
    delegate.connectionClose(connection);
    throw fault();
  }

  @Override
  public Object driverConnectEnter(String url) {
    connectStates.get().push(Optional.ofNullable(delegate.driverConnectEnter(url)));
    throw fault();
  }

  /** {@code state} is null here and below (the enter threw): the delegate gets what its enter returned. */
  @Override
  public Properties driverConnectInfo(Object state, String url, Properties info) {
    delegate.driverConnectInfo(connectStates.get().peek().orElse(null), url, info);
    throw fault();
  }

  @Override
  public String driverConnectUrl(Object state, String url) {
    delegate.driverConnectUrl(connectStates.get().peek().orElse(null), url);
    throw fault();
  }

  @Override
  public void driverConnectExit(Object state, Object connection, Throwable thrown) {
    delegate.driverConnectExit(connectStates.get().pop().orElse(null), connection, thrown);
    throw fault();
  }
}
