package io.poolscope.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/** The metric exporter, with its failures reported through {@link ExportWarnings}. */
final class WarningMetricExporter implements MetricExporter {

  private final MetricExporter delegate;
  private final ExportWarnings warnings;

  WarningMetricExporter(MetricExporter delegate, String destination) {
    this.delegate = delegate;
    this.warnings = new ExportWarnings("metrics", destination);
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    return warnings.watch(delegate.export(metrics));
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
