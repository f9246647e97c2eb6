package io.poolscope.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.poolscope.agent.config.Log;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns export failures into at most one warning a minute: a collector that is down must not flood
 * the app's log. The SDK's own per-failure log lines are switched off in {@link Telemetry}.
 */
final class WarningMetricExporter implements MetricExporter {

  private static final long QUIET_NANOS = 60_000_000_000L;

  private final MetricExporter delegate;
  private final String destination;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - QUIET_NANOS);
  private final AtomicLong failuresSinceWarning = new AtomicLong();

  WarningMetricExporter(MetricExporter delegate, String destination) {
    this.delegate = delegate;
    this.destination = destination;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode result = delegate.export(metrics);
    result.whenComplete(
        () -> {
          if (!result.isSuccess()) {
            failed(result.getFailureThrowable());
          }
        });
    return result;
  }

  private void failed(Throwable cause) {
    long failures = failuresSinceWarning.incrementAndGet();
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= QUIET_NANOS && lastWarning.compareAndSet(last, now)) {
      failuresSinceWarning.set(0);
      Log.warn(
          "could not send metrics to " + destination
              + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")")
              + "; " + failures + " failed export(s) since the last warning; the app is not affected, "
              + "next warning in 60 s at the earliest");
    }
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
