package io.poolscope.agent.tracking;

import io.poolscope.agent.config.AgentConfig;
import io.poolscope.agent.config.Settings;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A tracker on a hand-driven clock, with the calls the advice would make. */
final class TestTracker {

  final AtomicLong clock = new AtomicLong(1_000);
  final CheckoutTracker tracker;

  TestTracker(String agentArgs) {
    tracker =
        new CheckoutTracker(
            AgentConfig.load(Settings.from(agentArgs, Map.of(), Map.of())), "shop", clock::get, () -> 42L);
  }

  Object checkout(Object dataSource, long waitNanos) {
    Object connection = new Object();
    Object state = tracker.getConnectionEnter(dataSource);
    clock.addAndGet(waitNanos);
    tracker.getConnectionExit(state, connection, null);
    return connection;
  }

  void hold(Object connection, long nanos) {
    clock.addAndGet(nanos);
    tracker.connectionClose(connection);
  }
}
