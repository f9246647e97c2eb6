package io.poolscope.agent.tracking;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One value per {@code error.type} (the exception's class name), capped so that an app throwing many
 * kinds of exceptions stays bounded: the rest share {@link #OTHER}.
 */
public final class ByErrorType<T> {

  static final int MAX_TYPES = 16;
  public static final String OTHER = "_OTHER";

  private final ConcurrentHashMap<String, T> byType = new ConcurrentHashMap<>();
  private final Supplier<T> factory;

  ByErrorType(Supplier<T> factory) {
    this.factory = factory;
  }

  T of(Throwable error) {
    String type = error.getClass().getName();
    T value = byType.get(type);
    return value != null
        ? value
        : byType.computeIfAbsent(byType.size() < MAX_TYPES ? type : OTHER, k -> factory.get());
  }

  /** Error type → value, sorted by type for stable output. */
  public Map<String, T> snapshot() {
    return new TreeMap<>(byType);
  }
}
