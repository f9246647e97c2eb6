package io.poolscope.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.poolscope.agent.config.AgentConfig;
import io.poolscope.agent.tracking.CallSite;
import io.poolscope.agent.tracking.Checkout;
import io.poolscope.agent.tracking.CheckoutEvents;
import io.poolscope.agent.tracking.CheckoutTracker;
import io.poolscope.agent.tracking.PoolStats;
import io.poolscope.agent.tracking.Server;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.stream.Collectors;

/**
 * A span per checkout worth a look: slow (wait or hold over its threshold), failed, leaked — or every
 * checkout with {@code poolscope.spans=all}. A span is only built once a checkout qualifies, with its
 * true start time, so fast checkouts cost nothing here. It is a child of the app's current span.
 * Installed before the SDK is up (which starts on its own thread at the first JDBC call): what a
 * checkout ending meanwhile would put in its span is read at once and the span made when the SDK is
 * ready, so the first checkouts, often the slowest or failing ones, keep theirs.
 */
final class CheckoutSpans implements CheckoutEvents {

  static final AttributeKey<Double> WAIT_TIME = AttributeKey.doubleKey("poolscope.checkout.wait_time");
  static final AttributeKey<Double> USE_TIME = AttributeKey.doubleKey("poolscope.checkout.use_time");
  static final AttributeKey<Long> BACKEND_PID = AttributeKey.longKey("db.postgresql.backend_pid");
  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  static final AttributeKey<String> HOLDER_STACK = AttributeKey.stringKey("poolscope.holder.stack");

  /** Spans of checkouts that ended before the SDK was up; more are dropped (metrics count them). */
  static final int EARLY_MAX = 256;

  private final CheckoutTracker tracker;
  private final boolean all;
  private final long waitThresholdNanos;
  private final long useThresholdNanos;
  /** Null until the SDK is up. */
  private volatile Tracer tracer;
  private final BlockingQueue<Consumer<Tracer>> early = new ArrayBlockingQueue<>(EARLY_MAX);

  CheckoutSpans(CheckoutTracker tracker, AgentConfig config) {
    this.tracker = tracker;
    this.all = config.spans == AgentConfig.Spans.ALL;
    this.waitThresholdNanos = TimeUnit.MILLISECONDS.toNanos(config.spansWaitThresholdMillis);
    this.useThresholdNanos = TimeUnit.MILLISECONDS.toNanos(config.spansUseThresholdMillis);
  }

  /** The SDK is up: the spans kept until now are made, later ones at once. */
  void ready(Tracer tracer) {
    this.tracer = tracer;
    sendEarly();
  }

  @Override
  public void failed(PoolStats pool, long startNanos, long waitNanos, Throwable error) {
    Context parent = AppTraceContext.current();
    long start = epochNanos(startNanos);
    long end = epochNanos(startNanos + waitNanos);
    String type = error.getClass().getName();
    String status = error.getClass().getSimpleName();
    send(
        tracer -> {
          Span span = start(tracer, pool, parent, start);
          span.setAttribute(WAIT_TIME, waitNanos / 1e9);
          span.setAttribute(PoolMetricProducer.ERROR_TYPE, type);
          span.setStatus(StatusCode.ERROR, status);
          span.end(end, TimeUnit.NANOSECONDS);
        });
  }

  @Override
  public void returned(Checkout checkout, Object connection, long nowNanos, long useNanos) {
    if (checkout.leakReport() != null) {
      endLeakSpan(checkout, nowNanos, (span, end) -> endReturned(span, useNanos, end));
      return;
    }
    if (!all && checkout.waitNanos() <= waitThresholdNanos && useNanos <= useThresholdNanos) {
      return;
    }
    long end = epochNanos(nowNanos);
    Context parent = AppTraceContext.current();
    // read now: a checkout slot is reused once this returns
    CheckoutFacts facts = new CheckoutFacts(checkout, backendPid(checkout, connection));
    send(tracer -> endReturned(checkoutSpan(tracer, facts, parent), useNanos, end));
  }

  private static void endReturned(Span span, long useNanos, long endEpochNanos) {
    span.setAttribute(USE_TIME, useNanos / 1e9);
    span.addEvent("returned", endEpochNanos, TimeUnit.NANOSECONDS);
    span.end(endEpochNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * On the leak watcher's thread. The suspicion is kept with the checkout and its span made, whole,
   * when the checkout ends (an open span is not exported anyway): a leak found before the SDK is up
   * keeps its span, and one returned as it is found leaves no span open.
   */
  @Override
  public void leakSuspected(Checkout checkout, long nowNanos, StackTraceElement[] holderStack) {
    checkout.leakReport(
        new Suspicion(
            new CheckoutFacts(checkout, -1),
            epochNanos(nowNanos),
            Arrays.stream(holderStack).map(String::valueOf).collect(Collectors.joining("\n"))));
  }

  /**
   * Ends a suspected leak's span. Other abandoned checkouts are counted, not spanned: they are found
   * in bulk, partly on the app's own threads, and a span each would put SDK work on the checkout path.
   */
  @Override
  public void abandoned(Checkout checkout, long nowNanos) {
    endLeakSpan(
        checkout,
        nowNanos,
        (span, end) -> {
          span.addEvent("abandoned", end, TimeUnit.NANOSECONDS);
          span.setStatus(StatusCode.ERROR, "abandoned: collected without close");
          span.end(end, TimeUnit.NANOSECONDS);
        });
  }

  @Override
  public void heldAtExit(Checkout checkout) {
    endLeakSpan(
        checkout,
        System.nanoTime(),
        (span, end) -> {
          span.addEvent("still held at exit", end, TimeUnit.NANOSECONDS);
          span.end(end, TimeUnit.NANOSECONDS);
        });
  }

  /**
   * Makes the span of a suspected leak and has {@code end} end it at {@code nowNanos} (as epoch
   * nanoseconds); a checkout never suspected costs no clock reading here (abandoned ones come in bulk).
   */
  private void endLeakSpan(Checkout checkout, long nowNanos, ObjLongConsumer<Span> end) {
    Suspicion suspicion = (Suspicion) checkout.leakReport();
    if (suspicion != null) {
      long endEpochNanos = epochNanos(nowNanos);
      send(tracer -> end.accept(suspicion.start(tracer), endEpochNanos));
    }
  }

  private void send(Consumer<Tracer> span) {
    Tracer ready = tracer;
    if (ready != null) {
      withAgentLoader(() -> span.accept(ready));
      return;
    }
    early.offer(span); // a full queue drops it
    if (tracer != null) {
      sendEarly(); // the SDK came up meanwhile, maybe after its own pass over the queue
    }
  }

  private void sendEarly() {
    Tracer ready = tracer;
    for (Consumer<Tracer> span; (span = early.poll()) != null; ) {
      Consumer<Tracer> kept = span;
      withAgentLoader(() -> kept.accept(ready));
    }
  }

  /**
   * The SDK registers a metrics callback on its first span and keeps the calling thread's context
   * class loader with it: on an app thread that could be a webapp's loader, kept forever. Spans are
   * made with the agent's own loader as context loader instead. (The leak watcher's thread is ours.)
   */
  private static void withAgentLoader(Runnable work) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(CheckoutSpans.class.getClassLoader());
    try {
      work.run();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private long backendPid(Checkout checkout, Object connection) {
    return connection == null ? -1 : tracker.backendPid(checkout, connection);
  }

  /** What a checkout's span says, read while the checkout is still at hand. */
  private static final class CheckoutFacts {
    final PoolStats pool;
    final long startEpochNanos;
    final long acquiredEpochNanos;
    final long waitNanos;
    final String threadName;
    final long threadId;
    final CallSite site;
    final long backendPid;

    CheckoutFacts(Checkout checkout, long backendPid) {
      this.pool = checkout.pool();
      this.startEpochNanos = epochNanos(checkout.sinceNanos() - checkout.waitNanos());
      this.acquiredEpochNanos = epochNanos(checkout.sinceNanos());
      this.waitNanos = checkout.waitNanos();
      this.threadName = checkout.thread().getName();
      this.threadId = checkout.thread().getId();
      this.site = checkout.site();
      this.backendPid = backendPid;
    }
  }

  /** A suspected leak: its span opens with the "leak suspected" event and an error status. */
  private static final class Suspicion {
    final CheckoutFacts facts;
    final long atEpochNanos;
    final String holderStack;

    Suspicion(CheckoutFacts facts, long atEpochNanos, String holderStack) {
      this.facts = facts;
      this.atEpochNanos = atEpochNanos;
      this.holderStack = holderStack;
    }

    Span start(Tracer tracer) {
      Span span = checkoutSpan(tracer, facts, Context.root());
      span.addEvent(
          "leak suspected", Attributes.of(HOLDER_STACK, holderStack), atEpochNanos, TimeUnit.NANOSECONDS);
      span.setStatus(StatusCode.ERROR, "leak suspected");
      return span;
    }
  }

  /** A span from the start of getConnection, with the "acquired" event at its return. */
  private static Span checkoutSpan(Tracer tracer, CheckoutFacts facts, Context parent) {
    Span span = start(tracer, facts.pool, parent, facts.startEpochNanos);
    span.setAttribute(WAIT_TIME, facts.waitNanos / 1e9);
    span.setAttribute(THREAD_NAME, facts.threadName);
    span.setAttribute(THREAD_ID, facts.threadId);
    if (facts.site != null) {
      span.setAllAttributes(PoolMetricProducer.siteAttributes(facts.site).build());
    }
    if (facts.backendPid >= 0) {
      span.setAttribute(BACKEND_PID, facts.backendPid);
    }
    span.addEvent("acquired", facts.acquiredEpochNanos, TimeUnit.NANOSECONDS);
    return span;
  }

  private static Span start(Tracer tracer, PoolStats pool, Context parent, long startEpochNanos) {
    SpanBuilder builder =
        tracer
            .spanBuilder("checkout " + pool.name())
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
            .setAttribute(PoolMetricProducer.POOL_NAME, pool.name());
    Server server = pool.server();
    if (server != null) {
      builder.setAllAttributes(PoolMetricProducer.serverAttributes(server).build());
    }
    return builder.startSpan();
  }

  /** A System.nanoTime reading as epoch nanoseconds, against a fresh pair of clock readings. */
  private static long epochNanos(long nanoTime) {
    long nowNanoTime = System.nanoTime();
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano() - (nowNanoTime - nanoTime);
  }
}
