package io.poolscope.agent.tracking;

import io.poolscope.agent.config.Log;

/** The leak log lines: what a user needs to find the leak without a debugger. */
final class Leaks {

  /** Enough of the holder's stack to see where it is stuck. */
  private static final int MAX_FRAMES = 40;

  private Leaks() {}

  static void logSuspected(
      Checkout checkout,
      long heldNanos,
      Thread.State state,
      StackTraceElement[] holderStack,
      CallSites sites) {
    StringBuilder message =
        new StringBuilder("connection leak suspected in pool ")
            .append(checkout.pool().name())
            .append(": held ")
            .append(seconds(heldNanos))
            .append(" s by thread \"")
            .append(checkout.thread().getName())
            .append("\" (")
            .append(state)
            .append("), borrowed at ")
            .append(borrowSite(checkout, holderStack, sites))
            .append("; the holder is now at:");
    for (int i = 0; i < Math.min(MAX_FRAMES, holderStack.length); i++) {
      message.append(System.lineSeparator()).append("\tat ").append(holderStack[i]);
    }
    if (holderStack.length > MAX_FRAMES) {
      message.append(System.lineSeparator()).append("\t... ").append(holderStack.length - MAX_FRAMES).append(" more");
    }
    Log.warn(message.toString());
  }

  static void logReturned(Checkout checkout, long useNanos) {
    Log.info(
        "leak suspect in pool " + checkout.pool().name() + " returned after " + seconds(useNanos)
            + " s (thread \"" + checkout.thread().getName() + "\""
            + (checkout.site() == null ? "" : ", borrowed at " + checkout.site()) + ")");
  }

  /** The sampled site, else the holder's first application frame, said as such. */
  private static String borrowSite(Checkout checkout, StackTraceElement[] holderStack, CallSites sites) {
    if (checkout.site() != null) {
      return checkout.site().toString();
    }
    StackTraceElement frame = sites.firstApplicationFrame(holderStack);
    return frame == null
        ? "(not sampled)"
        : "(not sampled; the holder's first application frame) " + frame;
  }

  static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
