package io.poolscope.agent.export;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.poolscope.agent.tracking.Reflect;

/**
 * The span the app itself has current on this thread — from its own OpenTelemetry API, or from the
 * OpenTelemetry Java agent — read by reflection, since those classes are not ours. A checkout span
 * becomes its child. Only called when a span is about to be made, never on the fast path.
 */
final class AppTraceContext {

  // built at run time: the agent jar's relocation must not rewrite these names into our own
  private static final String APP_SPAN = String.join(".", "io", "opentelemetry", "api", "trace", "Span");
  private static final String OTEL_AGENT_BRIDGE =
      String.join(".", "io", "opentelemetry", "javaagent", "bootstrap", "Java8BytecodeBridge");

  private AppTraceContext() {}

  /** A context whose parent is the app's current span, or the root context if it has none. */
  static Context current() {
    try {
      Object appSpan = appSpan();
      if (appSpan == null) {
        return Context.root();
      }
      Object context = invoke(appSpan, "getSpanContext");
      if (!Boolean.TRUE.equals(invoke(context, "isValid"))) {
        return Context.root();
      }
      Object flags = invoke(context, "getTraceFlags");
      SpanContext parent =
          SpanContext.createFromRemoteParent(
              (String) invoke(context, "getTraceId"),
              (String) invoke(context, "getSpanId"),
              TraceFlags.fromHex((String) invoke(flags, "asHex"), 0),
              TraceState.getDefault());
      return Context.root().with(Span.wrap(parent));
    } catch (Exception | LinkageError e) {
      return Context.root();
    }
  }

  private static Object appSpan() throws Exception {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (ClassLoader candidate : new ClassLoader[] {loader, ClassLoader.getSystemClassLoader()}) {
      try {
        return Class.forName(APP_SPAN, false, candidate).getMethod("current").invoke(null);
      } catch (ClassNotFoundException e) {
        // the app has no OpenTelemetry API of its own here
      }
    }
    try {
      return Class.forName(OTEL_AGENT_BRIDGE, false, null).getMethod("currentSpan").invoke(null);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }

  private static Object invoke(Object target, String getter) {
    Object value = Reflect.get(target, getter);
    if (value == null) {
      throw new IllegalStateException("no " + getter);
    }
    return value;
  }
}
