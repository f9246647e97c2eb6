package io.poolscope.agent.tracking;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failures counted by {@code error.type} (the exception class), capped so a noisy app stays bounded. */
public final class ErrorCounts {

  static final int MAX_TYPES = 16;
  public static final String OTHER = "_OTHER";

  private final ConcurrentHashMap<String, LongAdder> byType = new ConcurrentHashMap<>();

  public void increment(Throwable error) {
    String type = error.getClass().getName();
    LongAdder counter = byType.get(type);
    if (counter == null) {
      counter = byType.computeIfAbsent(byType.size() < MAX_TYPES ? type : OTHER, k -> new LongAdder());
    }
    counter.increment();
  }

  /** Error type → count, sorted by type for stable output. */
  public Map<String, Long> snapshot() {
    if (byType.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, Long> snapshot = new TreeMap<>();
    byType.forEach((type, counter) -> snapshot.put(type, counter.sum()));
    return snapshot;
  }
}
