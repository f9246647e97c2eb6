package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertShape;
import static io.poolscope.tests.support.PoolMetrics.ABANDONED;
import static io.poolscope.tests.support.PoolMetrics.CODE_FILE;
import static io.poolscope.tests.support.PoolMetrics.CODE_FUNCTION;
import static io.poolscope.tests.support.PoolMetrics.CODE_LINE;
import static io.poolscope.tests.support.PoolMetrics.LEAKS;
import static io.poolscope.tests.support.PoolMetrics.OLDEST_CHECKOUT_AGE;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.SITE_USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.WAIT_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.LeakApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.BorrowLines;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.DataPoint.Kind;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.ReceivedSpan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Connections that do not come back in time (leaks) or at all (abandoned): counted at the line that
 * borrowed them, logged with where the holder is now, and reported as error spans.
 */
class LeakDetectionTest extends AgentTest {

  private static final String APP = LeakApp.class.getName();
  private static final String FILE = "LeakApp.java";
  private static final double HOLD_SECONDS = LeakApp.HOLD_MILLIS / 1000.0;
  /** The holder is asleep (TIMED_WAITING), or on a busy machine still on its way there. */
  private static final String THREAD_STATES = Arrays.stream(Thread.State.values())
      .map(Thread.State::name).collect(Collectors.joining("|"));

  private ChildJvm runLeakApp(String mode, String leakThresholdMillis) {
    ChildJvm child = run(app(LeakApp.class).args(mode)
        .property("poolscope.leak.threshold", leakThresholdMillis)
        .property("poolscope.callsite.sample", "1")
        .property("poolscope.callsite.interval", "0")
        .property("otel.bsp.schedule.delay", "200"));
    assertTrue(child.stdout().contains("DONE " + mode), child::report);
    return child;
  }

  /** The series of one borrow site, and the pool's remainder series (no code attributes). */
  private static void assertCountedAtSite(MetricQuery metric, String function, int line) {
    MetricQuery atSite = metric.where(Map.of(
        CODE_FUNCTION, APP + "." + function, CODE_FILE, FILE, CODE_LINE, String.valueOf(line)));
    assertEquals(1.0, atSite.latestValue(), metric::describe);
    MetricQuery remainder = metric.filter(p -> p.attribute(CODE_FUNCTION) == null);
    assertEquals(1, remainder.latest().size(), metric::describe);
    assertEquals(0.0, remainder.latestValue(), () -> "the one checkout was sampled\n" + metric.describe());
    assertEquals(1.0, metric.latestValue(), metric::describe);
  }

  @Test
  void leakIsCountedAtItsLineLoggedWithTheHolderNowAndSeenComingBack() {
    ChildJvm child = runLeakApp("leak", "500");
    int line = BorrowLines.of(child, "leak");

    MetricQuery metrics =
        poolscopeMetrics(LEAKS, q -> q.where(POOL_NAME, "leak-pool").latestValue() == 1);
    assertShape(metrics, LEAKS, Kind.SUM, true, "{connection}");
    assertCountedAtSite(metrics.metric(LEAKS).where(POOL_NAME, "leak-pool"), "leakThenReturn", line);
    // it came back: one ordinary hold of the app's 2 s, also at its call site
    MetricQuery ofPool = metrics.where(POOL_NAME, "leak-pool");
    assertEquals(1, ofPool.metric(USE_TIME).latestCount(), metrics::describe);
    MetricQuery leakSite = ofPool.metric(SITE_USE_TIME).where(CODE_LINE, String.valueOf(line));
    assertEquals(1, leakSite.latestCount(), metrics::describe);
    double held = leakSite.latestSum();
    assertEquals(ofPool.metric(USE_TIME).latestSum(), held, 1e-9, metrics::describe);
    assertTrue(held >= HOLD_SECONDS && held < 10, () -> "held " + held + " s");
    assertNoneUsed(metrics, "leak-pool");
    assertEquals(0.0, ofPool.metric(ABANDONED).latestValue(), metrics::describe);

    // what an alert watches: the oldest checkout's age passed the threshold, then fell back to 0
    MetricQuery age = metrics.metric(OLDEST_CHECKOUT_AGE).where(POOL_NAME, "leak-pool");
    assertTrue(age.points().stream().allMatch(p -> p.kind() == Kind.GAUGE && p.unit().equals("s")),
        age::describe);
    assertTrue(age.maxValue() >= 0.5 && age.maxValue() <= held,
        () -> "oldest checkout age never past the 0.5 s threshold (or beyond the hold)\n" + age.points());
    assertEquals(0.0, age.latestValue(), age::describe);

    assertLeakLog(child, line);
    assertLeakSpan(line);
  }

  /** One WARN with the borrow line and the holder's stack as it is now, one INFO when it returns. */
  private static void assertLeakLog(ChildJvm child, int line) {
    List<String> lines = child.stderrLines();
    String borrowedAt = "borrowed at " + APP + ".leakThenReturn(" + FILE + ":" + line + ")";
    Pattern warn = Pattern.compile("^\\[poolscope] WARN connection leak suspected in pool leak-pool:"
        + " held (\\d+\\.\\d) s by thread \"main\" \\((" + THREAD_STATES + ")\\), "
        + Pattern.quote(borrowedAt) + "; the holder is now at:$");
    List<Integer> warnings = indexesOf(lines, warn);
    assertEquals(1, warnings.size(), () -> "expected one leak warning\n" + child.report());
    Matcher heldAtWarning = warn.matcher(lines.get(warnings.get(0)));
    assertTrue(heldAtWarning.matches());
    double held = Double.parseDouble(heldAtWarning.group(1));
    assertTrue(held >= 0.5 && held < HOLD_SECONDS, () -> "reported after " + held + " s\n" + child.report());

    List<String> holderStack = lines.subList(warnings.get(0) + 1, lines.size()).stream()
        .takeWhile(l -> l.startsWith("\tat ")).toList();
    // where the holder is now: inside holdInSlowReport (asleep, or on a busy machine still at its
    // SELECT), below the borrowing method; not where it borrowed. Loader and module prefixes vary
    int holding = indexOf(holderStack, APP + ".holdInSlowReport(" + FILE + ":");
    int borrower = indexOf(holderStack, APP + ".leakThenReturn(" + FILE + ":");
    assertTrue(holding > 0 && holding < borrower,
        () -> "holder stack does not show where it is now:\n" + String.join("\n", holderStack));

    Pattern info = Pattern.compile("^\\[poolscope] INFO leak suspect in pool leak-pool returned after"
        + " (\\d+\\.\\d) s .*" + Pattern.quote(borrowedAt) + ".*$");
    List<Integer> returns = indexesOf(lines, info);
    assertEquals(1, returns.size(), () -> "expected one returned line\n" + child.report());
    assertTrue(returns.get(0) > warnings.get(0), child::report);
    Matcher total = info.matcher(lines.get(returns.get(0)));
    assertTrue(total.matches());
    double returnedAfter = Double.parseDouble(total.group(1));
    assertTrue(returnedAfter >= HOLD_SECONDS && returnedAfter < 10,
        () -> "returned after " + returnedAfter + " s, held " + HOLD_SECONDS + " s\n" + child.report());
  }

  /** One span for the whole checkout: acquired, suspected (with the holder's stack), returned. */
  private void assertLeakSpan(int line) {
    List<ReceivedSpan> spans = ReceivedSpan.checkoutsOf(
        receiver.awaitSpans(s -> !ReceivedSpan.checkoutsOf(s, "leak-pool").isEmpty(), EXPORT_GRACE),
        "leak-pool");
    assertEquals(1, spans.size(), () -> "checkout spans: " + receiver.spans());
    ReceivedSpan span = spans.get(0);
    assertEquals(ReceivedSpan.ERROR, span.statusCode(), span::toString);
    assertEquals(List.of("acquired", "leak suspected", "returned"), span.eventNames(), span::toString);
    String stack = span.event("leak suspected").orElseThrow().attributes().get("poolscope.holder.stack");
    assertTrue(stack != null && stack.contains(APP + ".holdInSlowReport("), () -> "holder stack: " + stack);
    assertEquals(String.valueOf(line), span.attribute(CODE_LINE), span::toString);
    assertEquals(APP + ".leakThenReturn", span.attribute(CODE_FUNCTION), span::toString);
    assertEquals("main", span.attribute("thread.name"), span::toString);
    double used = Double.parseDouble(span.attribute("poolscope.checkout.use_time"));
    assertTrue(used >= HOLD_SECONDS && used < 10, span::toString);
    // made when the leak was suspected, it must still start when the checkout did
    long durationMillis = (span.endUnixNano() - span.startUnixNano()) / 1_000_000;
    assertTrue(durationMillis >= LeakApp.HOLD_MILLIS,
        () -> "span shorter than the " + LeakApp.HOLD_MILLIS + " ms hold: " + span);
  }

  @Test
  void droppedConnectionIsAbandonedAtItsLineAndLeavesTheUsedCount() {
    ChildJvm child = runLeakApp("abandon", "60000");
    assertTrue(child.stdout().contains("COLLECTED"), child::report);
    int line = BorrowLines.of(child, "abandon");

    MetricQuery metrics =
        poolscopeMetrics(ABANDONED, q -> q.where(POOL_NAME, "abandon-pool").latestValue() == 1);
    assertShape(metrics, ABANDONED, Kind.SUM, true, "{connection}");
    assertCountedAtSite(metrics.metric(ABANDONED).where(POOL_NAME, "abandon-pool"), "borrowAndForget",
        line);
    assertNoneUsed(metrics, "abandon-pool");
    MetricQuery ofPool = metrics.where(POOL_NAME, "abandon-pool");
    // the dropped checkout waited but was never held to a close, and is no leak (threshold 60 s);
    // the app's later checkout is an ordinary one
    assertEquals(2, ofPool.metric(WAIT_TIME).latestCount(), metrics::describe);
    assertEquals(1, ofPool.metric(USE_TIME).latestCount(), metrics::describe);
    assertEquals(0.0, ofPool.metric(LEAKS).latestValue(), metrics::describe);
  }

  @Test
  void suspectedLeakThatIsDroppedEndsItsSpanAsAbandoned() {
    ChildJvm child = runLeakApp("leakdrop", "500");
    assertTrue(child.stdout().contains("COLLECTED"), child::report);
    int line = BorrowLines.of(child, "leakdrop");

    MetricQuery metrics =
        poolscopeMetrics(ABANDONED, q -> q.where(POOL_NAME, "leakdrop-pool").latestValue() == 1);
    MetricQuery ofPool = metrics.where(POOL_NAME, "leakdrop-pool");
    // first suspected, then found collected: both at its borrowing line, and it never came back
    assertCountedAtSite(ofPool.metric(LEAKS), "leakAndForget", line);
    assertCountedAtSite(ofPool.metric(ABANDONED), "leakAndForget", line);
    assertNoneUsed(metrics, "leakdrop-pool");
    assertTrue(child.stderrLines().stream().noneMatch(l -> l.contains("returned after")),
        child::report);

    String atLine = String.valueOf(line);
    List<ReceivedSpan> spans = ReceivedSpan.checkoutsOf(
        receiver.awaitSpans(s -> ReceivedSpan.checkoutsOf(s, "leakdrop-pool").stream()
            .anyMatch(span -> atLine.equals(span.attribute(CODE_LINE))), EXPORT_GRACE),
        "leakdrop-pool").stream().filter(span -> atLine.equals(span.attribute(CODE_LINE))).toList();
    assertEquals(1, spans.size(), () -> "checkout spans: " + receiver.spans());
    ReceivedSpan span = spans.get(0);
    assertEquals(ReceivedSpan.ERROR, span.statusCode(), span::toString);
    assertEquals(List.of("acquired", "leak suspected", "abandoned"), span.eventNames(),
        span::toString);
    assertEquals(APP + ".leakAndForget", span.attribute(CODE_FUNCTION), span::toString);
  }

  private static List<Integer> indexesOf(List<String> lines, Pattern pattern) {
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (pattern.matcher(lines.get(i)).matches()) {
        found.add(i);
      }
    }
    return found;
  }

  private static int indexOf(List<String> lines, String part) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }
}
