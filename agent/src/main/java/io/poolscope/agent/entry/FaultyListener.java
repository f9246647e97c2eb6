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
  public Properties driverConnectEnter(String url, Properties info) {
    delegate.driverConnectEnter(url, info);
    throw fault();
  }

  @Override
  public String driverConnectUrl(String url) {
    delegate.driverConnectUrl(url);
    throw fault();
  }

  @Override
  public void driverConnectExit(String url, Object connection, Throwable thrown) {
    delegate.driverConnectExit(url, connection, thrown);
    throw fault();
  }
}
