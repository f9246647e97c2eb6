package io.poolscope.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/** The span exporter, with its failures reported through {@link ExportWarnings}. */
final class WarningSpanExporter implements SpanExporter {

  private final SpanExporter delegate;
  private final ExportWarnings warnings;

  WarningSpanExporter(SpanExporter delegate, String destination) {
    this.delegate = delegate;
    this.warnings = new ExportWarnings("spans", destination);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return warnings.watch(delegate.export(spans));
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
