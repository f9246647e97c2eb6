package io.poolscope.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.poolscope.agent.config.Log;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns export failures of one signal into at most one warning a minute: a collector that is down must
 * not flood the app's log. The SDK's own log lines are switched off in {@link Telemetry}.
 */
final class ExportWarnings {

  private static final long QUIET_NANOS = 60_000_000_000L;

  private final String what;
  private final String destination;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - QUIET_NANOS);
  private final AtomicLong failuresSinceWarning = new AtomicLong();

  ExportWarnings(String what, String destination) {
    this.what = what;
    this.destination = destination;
  }

  /** Watches one export's result; returns it unchanged. */
  CompletableResultCode watch(CompletableResultCode result) {
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
          "could not send " + what + " to " + destination
              + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")")
              + "; " + failures + " failed export(s) since the last warning; the app is not affected, "
              + "next warning in 60 s at the earliest");
    }
  }
}
