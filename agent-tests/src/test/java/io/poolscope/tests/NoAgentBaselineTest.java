package io.poolscope.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.apps.CloseSemanticsApp;
import io.poolscope.tests.apps.DelegatingWrapperApp;
import io.poolscope.tests.apps.FailingDataSourceApp;
import io.poolscope.tests.apps.HikariTimeoutApp;
import io.poolscope.tests.apps.IsolatedLoaderApp;
import io.poolscope.tests.apps.ManyPoolsApp;
import io.poolscope.tests.apps.OwnOtelApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every test app without the agent: when an agent test fails, this says whether the app or the
 * agent is to blame. Also proves the child classpath does not smuggle the agent in.
 */
class NoAgentBaselineTest extends AgentTest {

  static Stream<Arguments> apps() {
    return Stream.of(
        Arguments.of(CheckoutWorkload.class, new String[] {"pool=hikari", "threads=2",
            "checkouts=20", "restMs=0"}, "DONE checkouts=40"),
        Arguments.of(CheckoutWorkload.class, new String[] {"pool=dbcp2", "checkouts=10",
            "restMs=0"}, "DONE checkouts=20"),
        Arguments.of(CheckoutWorkload.class, new String[] {"pool=c3p0", "checkouts=10",
            "restMs=0"}, "DONE checkouts=20"),
        Arguments.of(CheckoutWorkload.class, new String[] {"pool=tomcat", "checkouts=10",
            "restMs=0"}, "DONE checkouts=20"),
        Arguments.of(CheckoutWorkload.class, new String[] {"pool=pgsimple", "checkouts=10",
            "restMs=0"}, "DONE checkouts=20"),
        Arguments.of(FailingDataSourceApp.class, new String[] {"3", "2", "5"},
            "DONE timeouts=3 errors=2 checkouts=5"),
        Arguments.of(HikariTimeoutApp.class, new String[0], "DONE timeouts=3"),
        Arguments.of(DelegatingWrapperApp.class, new String[0], "DONE checkouts=200"),
        Arguments.of(CloseSemanticsApp.class, new String[0], "DONE checkouts=200"),
        Arguments.of(ManyPoolsApp.class, new String[] {"30"}, "DONE pools=30 checkouts=30"),
        Arguments.of(IsolatedLoaderApp.class, new String[0], "DONE checkouts=20 loader=isolated"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("apps")
  void appRunsWithoutTheAgent(Class<?> main, String[] args, String done) {
    ChildJvm child = run(appWithoutAgent(main).args((Object[]) args));
    assertTrue(child.stdout().contains(done), child::report);
    assertFalse(child.stderr().contains("[poolscope]"), child::report);
    assertEquals(0, receiver.exportCount(), "nothing may export without the agent");
  }

  /** Also shows the receiver decodes what a real OpenTelemetry SDK exporter sends. */
  @Test
  void ownOtelAppExportsOnlyItsOwnMetricsWithoutTheAgent() {
    ChildJvm child = run(appWithoutAgent(OwnOtelApp.class).args(receiver.endpoint()));
    assertTrue(child.stdout().contains("DONE requests=10 checkouts=50"), child::report);
    MetricQuery all = receiver.awaitMetric("app.requests", q -> q.latestValue() == 10,
        EXPORT_GRACE);
    assertEquals(10.0, all.metric("app.requests").latestValue(), all::describe);
    assertEquals("app-own-otel", all.resources().get(0).get("service.name"), all::describe);
    assertTrue(all.poolscope().isEmpty(), all::describe);
  }
}
