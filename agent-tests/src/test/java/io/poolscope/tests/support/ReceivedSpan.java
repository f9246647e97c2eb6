package io.poolscope.tests.support;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One span as a trace backend shows it: ids in lower-case hex (empty parent = a root span),
 * attributes as strings, events in order, the status code's proto name (e.g. {@code STATUS_CODE_ERROR}).
 */
public record ReceivedSpan(
    Map<String, String> resource,
    String scope,
    String name,
    String traceId,
    String spanId,
    String parentSpanId,
    long startUnixNano,
    long endUnixNano,
    Map<String, String> attributes,
    List<Event> events,
    String statusCode) {

  public static final String ERROR = "STATUS_CODE_ERROR";

  public record Event(String name, long timeUnixNano, Map<String, String> attributes) {}

  /** The agent's checkout spans of {@code pool} among {@code spans}, in arrival order. */
  public static List<ReceivedSpan> checkoutsOf(List<ReceivedSpan> spans, String pool) {
    return spans.stream()
        .filter(s -> s.scope().equals(MetricQuery.POOLSCOPE_SCOPE))
        .filter(s -> s.name().equals("checkout " + pool))
        .toList();
  }

  public String attribute(String key) {
    return attributes.get(key);
  }

  public List<String> eventNames() {
    return events.stream().map(Event::name).toList();
  }

  public Optional<Event> event(String eventName) {
    return events.stream().filter(e -> e.name().equals(eventName)).findFirst();
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  static void flatten(ExportTraceServiceRequest export, List<ReceivedSpan> out) {
    for (ResourceSpans resourceSpans : export.getResourceSpansList()) {
      Map<String, String> resource =
          MetricQuery.attributes(resourceSpans.getResource().getAttributesList());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scope = scopeSpans.getScope().getName();
        for (Span span : scopeSpans.getSpansList()) {
          List<Event> events = span.getEventsList().stream()
              .map(e -> new Event(e.getName(), e.getTimeUnixNano(),
                  MetricQuery.attributes(e.getAttributesList())))
              .toList();
          out.add(new ReceivedSpan(resource, scope, span.getName(), hex(span.getTraceId()),
              hex(span.getSpanId()), hex(span.getParentSpanId()), span.getStartTimeUnixNano(),
              span.getEndTimeUnixNano(), MetricQuery.attributes(span.getAttributesList()), events,
              span.getStatus().getCode().name()));
        }
      }
    }
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Override
  public String toString() {
    return name + " [" + scope + "] trace=" + traceId + " span=" + spanId + " parent="
        + (parentSpanId.isEmpty() ? "-" : parentSpanId) + " " + statusCode + " "
        + (endUnixNano - startUnixNano) / 1_000_000 + " ms " + attributes + " events=" + eventNames();
  }
}
