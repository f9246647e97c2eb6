package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolMetrics.COUNT;
import static io.poolscope.tests.support.PoolMetrics.PENDING;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.STATE;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumingThat;

import io.poolscope.tests.apps.AttachWorkloadApp;
import io.poolscope.tests.support.AgentCli;
import io.poolscope.tests.support.AppOutput;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.ControlDir;
import io.poolscope.tests.support.MetricQuery;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar poolscope-agent.jar attach PID}: poolscope loaded into a pooled app started
 * without it, while the app works; and refused, changing nothing, where it cannot be.
 */
class AttachTest extends AgentTest {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SDK_START_GRACE = Duration.ofSeconds(20);
  private static final String APP = AttachWorkloadApp.class.getName();
  private static final Pattern DONE = Pattern.compile(
      "DONE busy=(\\d+) attach=" + (AttachWorkloadApp.BEFORE + AttachWorkloadApp.AFTER)
          + " after=" + AttachWorkloadApp.AFTER);

  private final ControlDir control = ControlDir.create();

  private ChildJvm startWorkload(ChildJvm.Builder builder) {
    ChildJvm app = start(builder.args(control.arg()));
    app.awaitStdoutLine("READY", READY_TIMEOUT);
    return app;
  }

  /** Ends the app, and insists it finishes as if nothing had happened. */
  private long stop(ChildJvm app) {
    control.command(app, "stop");
    assertEquals(0, app.awaitExit(CHILD_TIMEOUT), app::report);
    Matcher done = DONE.matcher(app.stdout());
    assertTrue(done.find(), app::report);
    assertTrue(AppOutput.appStderr(app).stream().noneMatch(l -> l.contains("Exception")),
        app::report);
    return Long.parseLong(done.group(1));
  }

  @Test
  void attachesToARunningPooledAppThatNeverNotices() {
    ChildJvm app = startWorkload(
        appWithoutAgent(AttachWorkloadApp.class).property("otel.service.name", "attach-app"));
    String pid = String.valueOf(app.pid());

    AgentCli.Result list = AgentCli.run("list");
    assertEquals(0, list.exitCode(), list::toString);
    assertTrue(list.stdoutLines().stream().anyMatch(l -> l.split("\\s+").length == 2
        && l.split("\\s+")[0].equals(pid) && l.split("\\s+")[1].equals(APP)), list::toString);
    assertTrue(list.stdoutLines().stream().noneMatch(l -> l.startsWith(list.pid() + " ")),
        () -> "list shows itself\n" + list);

    // the Attach API reaches only JVMs of the same user: refused before anything is touched
    assumingThat(System.getProperty("user.name").equals("root")
        && Files.isExecutable(Paths.get("/usr/sbin/runuser")), () -> {
          AgentCli.Result otherUser = AgentCli.runAs("nobody", "attach", pid);
          assertEquals(1, otherUser.exitCode(), otherUser::toString);
          assertEquals(List.of("poolscope: process " + pid + " belongs to user root and this"
              + " command runs as nobody: the Attach API reaches only JVMs of the same user; run"
              + " it as root (sudo -u root java -jar poolscope-agent.jar attach " + pid + ")"),
              otherUser.stderrLines(), otherUser::toString);
        });

    AgentCli.Result attach = AgentCli.run("attach", pid,
        "otel.exporter.otlp.endpoint=" + receiver.endpoint() + ",otel.metric.export.interval="
            + ChildJvm.EXPORT_INTERVAL_MILLIS + ",otel.service.name=not-the-apps-own",
        "otel.resource.attributes=deployment.environment=attach-test;team=pools");
    assertEquals(0, attach.exitCode(), attach::toString);
    assertEquals(1, attach.stdoutLines().size(), attach::toString);
    assertTrue(attach.stdoutLines().get(0).matches("poolscope \\S+ attached to JVM " + pid
        + " \\(" + Pattern.quote(APP) + "\\); its log goes to that JVM's stderr"),
        attach::toString);
    // the app's own -D setting wins over the one given to attach, and the user is told
    assertEquals(List.of("poolscope: note: JVM " + pid + " sets -Dotel.service.name itself; its"
        + " own value is used"), attach.stderrLines(), attach::toString);

    AgentCli.Result again = AgentCli.run("attach", pid);
    assertEquals(3, again.exitCode(), again::toString);
    assertEquals("", again.stdout(), again::toString);
    assertEquals(1, again.stderrLines().size(), again::toString);
    assertTrue(again.stderrLines().get(0).matches(
        "poolscope: already loaded in JVM " + pid + " \\(poolscope \\S+\\); nothing changed"),
        again::toString);

    // the app's checkouts after the attach, then it closes the connection borrowed before it
    control.command(app, "attached");
    // the SDK starts in the background, which may take a while on a busy machine; the second
    // export after this point was collected after that connection came back
    int exportsAfterWork = receiver.exportCount();
    receiver.awaitMetric(USE_TIME,
        q -> q.poolscope().where(POOL_NAME, "attach-pool").latestCount() == AttachWorkloadApp.AFTER
            && receiver.exportCount() >= exportsAfterWork + 2,
        SDK_START_GRACE);
    long busyCheckouts = stop(app);
    AppOutput.assertAgentStarted(app);
    // loaded once, started once: the second attach never reached the app
    assertEquals(1, app.stderrLines().stream().filter(l -> l.startsWith("[poolscope] INFO")).count(),
        app::report);

    MetricQuery metrics = receiver.metrics().poolscope();
    // otel.* entries of the attach reached the SDK (endpoint, interval, a ;-separated list); the
    // app's own service name was kept
    Map<String, String> resource = metrics.resources().get(0);
    assertEquals("attach-app", resource.get("service.name"), resource::toString);
    assertEquals("attach-test", resource.get("deployment.environment"), resource::toString);
    assertEquals("pools", resource.get("team"), resource::toString);
    // exactly the checkouts that began after the attach; the one borrowed before it and closed
    // after it is not counted, and its close takes nothing away
    assertCheckouts(metrics, "attach-pool", AttachWorkloadApp.AFTER);
    assertNoneUsed(metrics, "attach-pool");
    assertNeverNegative(metrics, "attach-pool");
    // idle comes from HikariCP itself, the connection opened before the attach included
    MetricQuery idle = metrics.metric(COUNT).where(POOL_NAME, "attach-pool").where(STATE, "idle");
    assertTrue(idle.any(p -> p.value() == 3), () -> "idle never 3\n" + idle.points());

    // attached mid-loop: every checkout seen began after the attach and was seen returned
    MetricQuery busy = metrics.where(POOL_NAME, "busy-pool");
    long counted = busy.metric(USE_TIME).latestCount();
    assertTrue(counted >= 1 && counted <= busyCheckouts,
        () -> counted + " checkouts counted of " + busyCheckouts + "\n" + busy.describe());
    assertEquals(counted, busy.metric(WAIT_TIME).latestCount(), busy::describe);
    assertNoneUsed(metrics, "busy-pool");
    assertNeverNegative(metrics, "busy-pool");
  }

  private static void assertNeverNegative(MetricQuery metrics, String pool) {
    MetricQuery gauges = metrics.where(POOL_NAME, pool)
        .filter(p -> p.metric().equals(PENDING) || p.metric().equals(COUNT));
    assertFalse(gauges.metric(COUNT).where(STATE, "used").isEmpty(), metrics::describe);
    assertTrue(gauges.points().stream().allMatch(p -> p.value() >= 0),
        () -> "negative counts in " + pool + ":\n" + gauges.filter(p -> p.value() < 0).points());
  }

  @Test
  void refusesAJvmWithAttachDisabledAndChangesNothing() {
    ChildJvm app = startWorkload(
        appWithoutAgent(AttachWorkloadApp.class).jvmOption("-XX:+DisableAttachMechanism"));
    String pid = String.valueOf(app.pid());

    AgentCli.Result refused = AgentCli.run("attach", pid,
        "otel.exporter.otlp.endpoint=" + receiver.endpoint());
    assertEquals(1, refused.exitCode(), refused::toString);
    assertEquals("", refused.stdout(), refused::toString);
    assertEquals(List.of("poolscope: JVM " + pid + " does not allow attaching (started with"
        + " -XX:+DisableAttachMechanism); add -javaagent:poolscope-agent.jar at its next start"),
        refused.stderrLines(), refused::toString);
    AgentCli.Result list = AgentCli.run("list");
    assertTrue(list.stdoutLines().stream().noneMatch(l -> l.startsWith(pid + " ")), list::toString);

    control.command(app, "attached");
    stop(app);
    assertFalse(app.stderr().contains("[poolscope]"), app::report);
    assertEquals(0, receiver.exportCount(), "nothing may export after a refused attach");
  }

  @Test
  void refusesWhatIsNoRunningJvmWithoutHarmingIt() throws Exception {
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    AgentCli.Result noSuchPid = AgentCli.run("attach", String.valueOf(exited.pid()));
    assertEquals(1, noSuchPid.exitCode(), noSuchPid::toString);
    assertEquals(List.of("poolscope: no process with pid " + exited.pid()),
        noSuchPid.stderrLines(), noSuchPid::toString);

    // attaching wakes a JVM with SIGQUIT, which would kill any other process
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      AgentCli.Result notJvm = AgentCli.run("attach", String.valueOf(sleeper.pid()));
      assertEquals(1, notJvm.exitCode(), notJvm::toString);
      assertEquals(1, notJvm.stderrLines().size(), notJvm::toString);
      assertTrue(notJvm.stderrLines().get(0).matches("poolscope: process " + sleeper.pid()
          + " \\(\\S*sleep\\) is not a JVM that accepts attach: .*"), notJvm::toString);
      assertFalse(sleeper.waitFor(300, TimeUnit.MILLISECONDS), "the sleep process died");
    } finally {
      sleeper.destroy();
    }

    AgentCli.Result usage = AgentCli.run("attach", "12ab");
    assertEquals(2, usage.exitCode(), usage::toString);
    assertEquals(List.of("poolscope: '12ab' is not a process id; usage: java -jar"
        + " poolscope-agent.jar attach <pid> [name=value,...] | list"), usage.stderrLines(),
        usage::toString);
  }
}
