package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.DB_NAMESPACE;
import static io.poolscope.tests.support.PoolMetrics.DB_SYSTEM;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.SERVER_ADDRESS;
import static io.poolscope.tests.support.PoolMetrics.SERVER_PORT;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.SpanWorkloadApp;
import io.poolscope.tests.apps.TracedApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.ReceivedSpan;
import io.poolscope.tests.support.SharedPostgres;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checkout spans over OTLP: which checkouts get one, what they say, and whose trace they join. */
class CheckoutSpanTest extends AgentTest {

  private static final String POOL = "span-pool";

  /** 20 fast checkouts, then 3 held 250 ms; spans sent every 200 ms, not only at the exit flush. */
  private ChildJvm runWorkload(String spans) {
    ChildJvm child = run(app(SpanWorkloadApp.class).args("fast=20", "slow=3", "slowMs=250")
        .property("poolscope.spans", spans)
        .property("poolscope.spans.use.threshold", "100")
        .property("otel.bsp.schedule.delay", "200"));
    assertTrue(child.stdout().contains("DONE checkouts=23"), child::report);
    // the metrics are complete, so the spans of the same checkouts were flushed with them
    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.where(POOL_NAME, POOL).latestCount() == 23);
    assertEquals(23, metrics.metric(USE_TIME).where(POOL_NAME, POOL).latestCount(), metrics::describe);
    return child;
  }

  private List<ReceivedSpan> checkoutSpans(int expected) {
    return ReceivedSpan.checkoutsOf(
        receiver.awaitSpans(s -> ReceivedSpan.checkoutsOf(s, POOL).size() >= expected, EXPORT_GRACE),
        POOL);
  }

  @Test
  void slowModeExportsOnlyTheCheckoutsHeldPastTheThreshold() {
    ChildJvm child = runWorkload("slow");
    List<ReceivedSpan> spans = byStart(checkoutSpans(3));
    assertTrue(spans.size() >= 3, () -> "spans:\n" + describe(spans));
    // the 3 slow checkouts came last; any earlier span must be a "fast" checkout that really
    // crossed a threshold on this busy machine (normally there is none)
    List<ReceivedSpan> slow = spans.subList(spans.size() - 3, spans.size());
    List<ReceivedSpan> unqualified = spans.subList(0, spans.size() - 3).stream()
        .filter(span -> !overAThreshold(span)).toList();
    assertTrue(unqualified.isEmpty(), () -> "spans of fast checkouts:\n" + describe(unqualified));

    Set<String> backendPids = backendPids(child);
    for (ReceivedSpan span : slow) {
      assertTrue(useTime(span) >= 0.25 && useTime(span) < 5, span::toString);
      assertTrue(Double.parseDouble(span.attribute("poolscope.checkout.wait_time")) >= 0,
          span::toString);
      assertEquals(List.of("acquired", "returned"), span.eventNames(), span::toString);
      assertEquals("STATUS_CODE_UNSET", span.statusCode(), span::toString);
      // the span covers the checkout: at least the hold, with its true start
      assertTrue(span.endUnixNano() - span.startUnixNano() >= 250_000_000L, span::toString);
      assertEquals(POOL, span.attribute(POOL_NAME), span::toString);
      assertEquals("postgresql", span.attribute(DB_SYSTEM), span::toString);
      assertEquals("localhost", span.attribute(SERVER_ADDRESS), span::toString);
      assertEquals(String.valueOf(SharedPostgres.port()), span.attribute(SERVER_PORT), span::toString);
      assertEquals("postgres", span.attribute(DB_NAMESPACE), span::toString);
      assertEquals("main", span.attribute("thread.name"), span::toString);
      assertTrue(span.attribute("thread.id") != null, span::toString);
      // the server process that served this checkout, as the app itself saw it
      assertTrue(backendPids.contains(span.attribute("db.postgresql.backend_pid")),
          () -> span + "\nthe app's backend pids: " + backendPids);
      assertTrue(span.isRoot(), () -> "no app span was current: " + span);
    }
  }

  @Test
  void allModeExportsOneSpanPerCheckout() {
    runWorkload("all");
    List<ReceivedSpan> spans = byStart(checkoutSpans(23));
    assertEquals(23, spans.size(), () -> "spans:\n" + describe(spans));
    assertEquals(23, spans.stream().map(ReceivedSpan::spanId).distinct().count(), () -> describe(spans));
    assertTrue(spans.subList(20, 23).stream().allMatch(s -> useTime(s) >= 0.25),
        () -> "the last 3 checkouts held 250 ms each:\n" + describe(spans));
  }

  @Test
  void offModeExportsNoSpans() {
    runWorkload("off");
    // the child has exited after its final flush: anything it sent is here by now
    assertTrue(receiver.spans().isEmpty(), () -> describe(receiver.spans()));
    assertFalse(receiver.otherRequests().stream().anyMatch(r -> r.startsWith("/v1/traces")),
        () -> "trace requests with spans off: " + receiver.otherRequests());
  }

  @Test
  void checkoutInsideAnAppSpanJoinsTheAppsTrace() {
    ChildJvm child = run(app(TracedApp.class).args(receiver.endpoint())
        .property("poolscope.spans", "all")
        .property("otel.bsp.schedule.delay", "200"));
    assertTrue(child.stdout().contains("DONE"), child::report);
    Matcher printed = Pattern.compile("APP_SPAN trace=(\\w{32}) span=(\\w{16})").matcher(child.stdout());
    assertTrue(printed.find(), child::report);
    String traceId = printed.group(1);
    String appSpanId = printed.group(2);

    List<ReceivedSpan> received = receiver.awaitSpans(
        s -> ReceivedSpan.checkoutsOf(s, "traced-pool").size() >= 2
            && s.stream().anyMatch(span -> span.name().equals("GET /orders")),
        EXPORT_GRACE);
    // the app's own span reached the collector with the ids the app printed
    List<ReceivedSpan> appSpans = received.stream().filter(s -> s.name().equals("GET /orders")).toList();
    assertEquals(1, appSpans.size(), () -> describe(received));
    assertEquals(traceId, appSpans.get(0).traceId(), () -> describe(received));
    assertEquals(appSpanId, appSpans.get(0).spanId(), () -> describe(received));

    List<ReceivedSpan> checkouts = ReceivedSpan.checkoutsOf(received, "traced-pool");
    assertEquals(2, checkouts.size(), () -> describe(received));
    List<ReceivedSpan> inRequest =
        checkouts.stream().filter(s -> s.traceId().equals(traceId)).toList();
    assertEquals(1, inRequest.size(), () -> describe(received));
    assertEquals(appSpanId, inRequest.get(0).parentSpanId(), () -> describe(received));
    // with no app span current, the checkout starts a trace of its own
    ReceivedSpan outside = checkouts.get(checkouts.indexOf(inRequest.get(0)) == 0 ? 1 : 0);
    assertTrue(outside.isRoot(), () -> describe(received));
    assertNotEquals(traceId, outside.traceId(), () -> describe(received));
  }

  /** Over the wait threshold (default 100 ms) or the use threshold (set to 100 ms). */
  private static boolean overAThreshold(ReceivedSpan span) {
    return Double.parseDouble(span.attribute("poolscope.checkout.wait_time")) > 0.1
        || useTime(span) > 0.1;
  }

  private static double useTime(ReceivedSpan span) {
    return Double.parseDouble(span.attribute("poolscope.checkout.use_time"));
  }

  private static List<ReceivedSpan> byStart(List<ReceivedSpan> spans) {
    return spans.stream().sorted(Comparator.comparingLong(ReceivedSpan::startUnixNano)).toList();
  }

  private static Set<String> backendPids(ChildJvm child) {
    Matcher m = Pattern.compile("SLOW backend_pid=(\\d+)").matcher(child.stdout());
    Set<String> pids = m.results().map(r -> r.group(1)).collect(Collectors.toSet());
    assertFalse(pids.isEmpty(), child::report);
    return pids;
  }

  private static String describe(List<ReceivedSpan> spans) {
    return spans.isEmpty() ? "(no spans)"
        : spans.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n"));
  }
}
