package io.poolscope.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.poolscope.agent.config.AgentConfig;
import io.poolscope.agent.config.Settings;
import io.poolscope.agent.tracking.Checkout;
import io.poolscope.agent.tracking.CheckoutEvents;
import io.poolscope.agent.tracking.CheckoutTracker;
import io.poolscope.agent.tracking.LeakWatcher;
import io.poolscope.agent.tracking.PoolStats;
import io.poolscope.agent.tracking.TestDataSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The span of a suspected leak, whether the SDK was up when the leak watcher found it or not. */
class CheckoutSpansTest {

  private static final long THRESHOLD_MILLIS = 100;

  /** Passes the events on, and counts down once the watcher has reported a leak. */
  private static final class SuspectedLatch implements CheckoutEvents {
    final CheckoutEvents spans;
    final CountDownLatch suspected;

    SuspectedLatch(CheckoutEvents spans, CountDownLatch suspected) {
      this.spans = spans;
      this.suspected = suspected;
    }

    @Override
    public void failed(PoolStats pool, long startNanos, long waitNanos, Throwable error) {
      spans.failed(pool, startNanos, waitNanos, error);
    }

    @Override
    public void returned(Checkout checkout, Object connection, long nowNanos, long useNanos) {
      spans.returned(checkout, connection, nowNanos, useNanos);
    }

    @Override
    public void leakSuspected(Checkout checkout, long nowNanos, StackTraceElement[] holderStack) {
      spans.leakSuspected(checkout, nowNanos, holderStack);
      suspected.countDown();
    }

    @Override
    public void abandoned(Checkout checkout, long nowNanos) {
      spans.abandoned(checkout, nowNanos);
    }

    @Override
    public void heldAtExit(Checkout checkout) {
      spans.heldAtExit(checkout);
    }
  }

  @ParameterizedTest(name = "SDK up before the leak is found: {0}")
  @ValueSource(booleans = {true, false})
  void aSuspectedLeakIsOneErrorSpanFromCheckoutToReturn(boolean sdkFirst) throws InterruptedException {
    AgentConfig config =
        AgentConfig.load(
            Settings.from("server.limit=false,leak.threshold=" + THRESHOLD_MILLIS, Map.of(), Map.of()));
    CheckoutTracker tracker = new CheckoutTracker(config, "shop");
    CheckoutSpans spans = new CheckoutSpans(tracker, config);
    CountDownLatch found = new CountDownLatch(1);
    tracker.events(new SuspectedLatch(spans, found));
    InMemorySpanExporter ended = InMemorySpanExporter.create();
    SdkTracerProvider sdk =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(ended)).build();
    if (sdkFirst) {
      spans.ready(sdk.get("test"));
    }
    LeakWatcher.start(tracker, THRESHOLD_MILLIS);

    Object connection = new Object();
    tracker.getConnectionExit(tracker.getConnectionEnter(new TestDataSource("p")), connection, null);
    assertTrue(found.await(10, TimeUnit.SECONDS), "the watcher found no leak in 10 s");
    assertEquals(1, tracker.pools().get(0).leaks());
    assertTrue(ended.getFinishedSpanItems().isEmpty(), "a leak's span ends when the connection comes back");
    tracker.connectionClose(connection);
    if (!sdkFirst) {
      spans.ready(sdk.get("test"));
    }

    assertEquals(1, ended.getFinishedSpanItems().size(), () -> "spans: " + ended.getFinishedSpanItems());
    SpanData span = ended.getFinishedSpanItems().get(0);
    assertEquals("checkout p", span.getName());
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    List<String> events = span.getEvents().stream().map(EventData::getName).collect(Collectors.toList());
    assertEquals(List.of("acquired", "leak suspected", "returned"), events);
    EventData suspected = span.getEvents().get(1);
    assertTrue(
        suspected.getAttributes().get(CheckoutSpans.HOLDER_STACK).contains(getClass().getName() + "."),
        () -> "the holder (this test) is not in the stack: " + suspected.getAttributes());
    long sinceStart = suspected.getEpochNanos() - span.getStartEpochNanos();
    assertTrue(sinceStart >= THRESHOLD_MILLIS * 1_000_000, () -> "suspected after " + sinceStart + " ns");
    assertTrue(span.getEvents().get(2).getEpochNanos() >= suspected.getEpochNanos());
    assertEquals(span.getEndEpochNanos(), span.getEvents().get(2).getEpochNanos());
    double used = span.getAttributes().get(CheckoutSpans.USE_TIME);
    assertTrue(used >= THRESHOLD_MILLIS / 1e3 && used < 10, () -> "use time " + used + " s");
    sdk.close();
  }
}
