package io.poolscope.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolscope.tests.apps.HoldConnectionsApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.ControlDir;
import io.poolscope.tests.support.ProcessConnections;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the tests whose app stays up while the test reads the agent's periodic exports (mostly
 * {@link HoldConnectionsApp}): it starts the app, steers it through its control directory, and
 * never leaves it running.
 */
abstract class LongRunningAppTest extends AgentTest {

  static final String SERVICE = "holder";
  /** Starting a JVM with a pool: seconds, but much more on two cores other test JVMs share. */
  static final Duration WARM_UP = Duration.ofSeconds(45);
  /** For the server to drop closed connections' backends, and for an export to arrive. */
  static final Duration SETTLE = Duration.ofSeconds(10);
  /** The first export after a change must come within one export interval of it, plus this. */
  static final Duration SLACK = Duration.ofSeconds(3);

  final ControlDir control = ControlDir.create();
  ChildJvm child;

  /** Starts {@code builder}'s app, which takes {@link #control} among its arguments. */
  ChildJvm startApp(ChildJvm.Builder builder) {
    child = start(builder);
    return child;
  }

  /** Starts HoldConnectionsApp with {@code source=... size=... hold=...} and more, once READY. */
  ProcessConnections startHolder(String source, int size, int hold, String... more) {
    startApp(app(HoldConnectionsApp.class)
        .property("otel.service.name", SERVICE)
        .args("source=" + source, "size=" + size, "hold=" + hold, control.arg())
        .args((Object[]) more));
    return ProcessConnections.whenReady(receiver, child, SERVICE, WARM_UP);
  }

  /** Tells the app to carry out {@code command}; returns when it had (epoch ms). */
  long command(String command) {
    return control.command(child, command);
  }

  void exitApp() {
    command("exit");
    assertEquals(0, child.awaitExit(CHILD_TIMEOUT), child::report);
  }

  @AfterEach
  void stopApp() {
    if (child != null) {
      child.kill();
    }
  }
}
