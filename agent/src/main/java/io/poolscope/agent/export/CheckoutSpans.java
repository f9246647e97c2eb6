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
import io.poolscope.agent.tracking.PhysicalConnection;
import io.poolscope.agent.tracking.PoolStats;
import io.poolscope.agent.tracking.Server;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A span per checkout worth a look: slow (wait or hold over its threshold), failed, leaked — or every
 * checkout with {@code poolscope.spans=all}. A span is only built once a checkout qualifies, with its
 * true start time, so fast checkouts cost nothing here. It is a child of the app's current span.
 */
final class CheckoutSpans implements CheckoutEvents {

  static final AttributeKey<Double> WAIT_TIME = AttributeKey.doubleKey("poolscope.checkout.wait_time");
  static final AttributeKey<Double> USE_TIME = AttributeKey.doubleKey("poolscope.checkout.use_time");
  static final AttributeKey<Long> BACKEND_PID = AttributeKey.longKey("db.postgresql.backend_pid");
  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  static final AttributeKey<String> HOLDER_STACK = AttributeKey.stringKey("poolscope.holder.stack");

  private final Tracer tracer;
  private final CheckoutTracker tracker;
  private final boolean all;
  private final long waitThresholdNanos;
  private final long useThresholdNanos;

  CheckoutSpans(Tracer tracer, CheckoutTracker tracker, AgentConfig config) {
    this.tracer = tracer;
    this.tracker = tracker;
    this.all = config.spans == AgentConfig.Spans.ALL;
    this.waitThresholdNanos = TimeUnit.MILLISECONDS.toNanos(config.spansWaitThresholdMillis);
    this.useThresholdNanos = TimeUnit.MILLISECONDS.toNanos(config.spansUseThresholdMillis);
  }

  @Override
  public void failed(PoolStats pool, long startNanos, long waitNanos, Throwable error) {
    Context parent = AppTraceContext.current();
    withAgentLoader(
        () -> {
          Span span = start(pool, parent, epochNanos(startNanos));
          span.setAttribute(WAIT_TIME, waitNanos / 1e9);
          span.setAttribute(PoolMetricProducer.ERROR_TYPE, error.getClass().getName());
          span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
          span.end(epochNanos(startNanos + waitNanos), TimeUnit.NANOSECONDS);
        });
  }

  @Override
  public void returned(Checkout checkout, Object connection, long nowNanos, long useNanos) {
    Span leakSpan = (Span) checkout.span();
    if (leakSpan != null) {
      leakSpan.setAttribute(USE_TIME, useNanos / 1e9);
      leakSpan.addEvent("returned");
      leakSpan.end();
      return;
    }
    if (!all && checkout.waitNanos() <= waitThresholdNanos && useNanos <= useThresholdNanos) {
      return;
    }
    Context parent = AppTraceContext.current();
    withAgentLoader(
        () -> {
          Span span = checkoutSpan(checkout, connection, parent, nowNanos);
          span.setAttribute(USE_TIME, useNanos / 1e9);
          span.addEvent("returned");
          span.end();
        });
  }

  @Override
  public void leakSuspected(Checkout checkout, long nowNanos, StackTraceElement[] holderStack) {
    Span span = checkoutSpan(checkout, null, Context.root(), nowNanos);
    span.addEvent(
        "leak suspected",
        Attributes.of(
            HOLDER_STACK,
            Arrays.stream(holderStack).map(String::valueOf).collect(Collectors.joining("\n"))));
    span.setStatus(StatusCode.ERROR, "leak suspected");
    checkout.span(span);
  }

  /**
   * Ends a suspected leak's span. Other abandoned checkouts are counted, not spanned: they are found
   * in bulk, partly on the app's own threads, and a span each would put SDK work on the checkout path.
   */
  @Override
  public void abandoned(Checkout checkout, long nowNanos) {
    Span span = (Span) checkout.span();
    if (span != null) {
      span.addEvent("abandoned");
      span.setStatus(StatusCode.ERROR, "abandoned: collected without close");
      span.end();
    }
  }

  @Override
  public void heldAtExit(Checkout checkout) {
    Span span = (Span) checkout.span();
    if (span != null) {
      span.addEvent("still held at exit");
      span.end();
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

  /** A span from the start of getConnection, with the "acquired" event at its return. */
  private Span checkoutSpan(Checkout checkout, Object connection, Context parent, long nowNanos) {
    long startNanos = checkout.sinceNanos() - checkout.waitNanos();
    Span span = start(checkout.pool(), parent, epochNanos(startNanos));
    span.setAttribute(WAIT_TIME, checkout.waitNanos() / 1e9);
    span.setAttribute(THREAD_NAME, checkout.thread().getName());
    span.setAttribute(THREAD_ID, checkout.thread().getId());
    CallSite site = checkout.site();
    if (site != null) {
      span.setAllAttributes(PoolMetricProducer.siteAttributes(site).build());
    }
    PhysicalConnection physical = connection == null ? null : tracker.physicalBehind(checkout, connection);
    if (physical != null && physical.backendPid() >= 0) {
      span.setAttribute(BACKEND_PID, physical.backendPid());
    }
    span.addEvent(
        "acquired", epochNanos(checkout.sinceNanos()), TimeUnit.NANOSECONDS);
    return span;
  }

  private Span start(PoolStats pool, Context parent, long startEpochNanos) {
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
