package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.AppOutput.assertSameAsWithoutAgent;
import static io.poolscope.tests.support.AppOutput.exitAt;
import static io.poolscope.tests.support.AppOutput.sendWarnings;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.MixedWorkloadApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.FaultyCollector;
import io.poolscope.tests.support.FaultyCollector.Fault;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A collector that is down, hung, refusing or talking garbage costs the app nothing: the same
 * output as without the agent, an exit no later than the agent's shutdown timeout allows, and at
 * most one warning a minute. The app returns from main instead of calling System.exit, so a
 * non-daemon export thread left hanging would show up as a JVM that does not exit.
 */
@FaultMatrix
class CollectorFaultTest extends AgentTest {

  /** poolscope.shutdown.timeout's default: the most the final export may add to the exit. */
  private static final long SHUTDOWN_TIMEOUT_MILLIS = 3000;
  /** JVM teardown and the test's own polling on a busy 2-core machine. */
  private static final long EXIT_SLACK_MILLIS = 2000;
  private static final String[] WORKLOAD =
      {"threads=4", "checkouts=25", "driverManager=5", "restMs=400", "exit=return"};

  @ParameterizedTest
  @EnumSource(Fault.class)
  void faultyCollectorCostsTheAppNothing(Fault fault) {
    try (FaultyCollector collector = FaultyCollector.start(fault)) {
      ChildJvm child = run(app(MixedWorkloadApp.class).args((Object[]) WORKLOAD)
          .removeProperty("poolscope.shutdown.timeout") // the default's bound is what is checked
          .property("otel.exporter.otlp.endpoint", collector.endpoint()));
      long exitedAt = System.currentTimeMillis();

      assertAgentStarted(child);
      assertTrue(child.stdout().contains("DONE"), child::report);
      ChildJvm baseline = baselineWithoutAgent(MixedWorkloadApp.class, WORKLOAD);
      long exitDelay = exitedAt - exitAt(child);
      // every check reported at once: a flooded stderr must not hide a slow exit
      assertAll(fault.toString(),
          () -> assertSameAsWithoutAgent(baseline, child),
          () -> assertTrue(exitDelay <= SHUTDOWN_TIMEOUT_MILLIS + EXIT_SLACK_MILLIS,
              "the JVM exited " + exitDelay + " ms after the app's work ended"),
          () -> assertTrue(sendWarnings(child) <= 1,
              sendWarnings(child) + " send warnings in a run under a minute"),
          // refused or 500 fail at once (no retry), so the run surely has a failed export: told once
          () -> assertTrue(!failsAtOnce(fault) || sendWarnings(child) == 1,
              sendWarnings(child) + " send warnings where exactly one was due"),
          () -> assertTrue(fault == Fault.DOWN || collector.hits() > 0,
              "the agent never reached the collector"));
      assertEquals(0, receiver.exportCount(), "nothing may reach the healthy receiver");
    }
  }

  private static boolean failsAtOnce(Fault fault) {
    return fault == Fault.DOWN || fault == Fault.STATUS_500;
  }
}
