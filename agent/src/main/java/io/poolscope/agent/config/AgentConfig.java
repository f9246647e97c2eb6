package io.poolscope.agent.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The agent's typed options. A bad value never stops the app: it gives one warning naming the option,
 * the value given and the value used instead. Unknown {@code poolscope.*} names are warned about with
 * the nearest known name.
 */
public final class AgentConfig {

  public static final String ENABLED = "poolscope.enabled";
  public static final String POOLS_MAX = "poolscope.pools.max";
  public static final String POOL_PACKAGES = "poolscope.pool.packages";
  public static final String DRIVER_PACKAGES = "poolscope.driver.packages";
  public static final String SHUTDOWN_TIMEOUT = "poolscope.shutdown.timeout";
  public static final String DEBUG = "poolscope.debug";
  public static final String APPLICATION_NAME = "poolscope.application.name";
  public static final String SERVER_LIMIT = "poolscope.server.limit";
  public static final String LEAK_THRESHOLD = "poolscope.leak.threshold";
  public static final String CALLSITE_SAMPLE = "poolscope.callsite.sample";
  public static final String CALLSITE_INTERVAL = "poolscope.callsite.interval";
  public static final String CALLSITE_MAX = "poolscope.callsite.max";
  public static final String CALLSITE_INCLUDE = "poolscope.callsite.include";
  public static final String CALLSITE_EXCLUDE = "poolscope.callsite.exclude";
  public static final String SPANS = "poolscope.spans";
  public static final String SPANS_WAIT_THRESHOLD = "poolscope.spans.wait.threshold";
  public static final String SPANS_USE_THRESHOLD = "poolscope.spans.use.threshold";
  public static final String TEST_FAULT = "poolscope.test.fault";

  static final List<String> KNOWN =
      List.of(
          ENABLED, POOLS_MAX, POOL_PACKAGES, DRIVER_PACKAGES, SHUTDOWN_TIMEOUT, DEBUG, APPLICATION_NAME, SERVER_LIMIT,
          LEAK_THRESHOLD, CALLSITE_SAMPLE, CALLSITE_INTERVAL, CALLSITE_MAX, CALLSITE_INCLUDE, CALLSITE_EXCLUDE, SPANS,
          SPANS_WAIT_THRESHOLD, SPANS_USE_THRESHOLD, TEST_FAULT);

  /** Which checkouts become spans. */
  public enum Spans {
    OFF,
    SLOW,
    ALL
  }

  public final boolean enabled;
  public final int poolsMax;
  public final List<String> poolPackages;
  /** Package prefixes of JDBC drivers beyond the well-known ones: their DataSources open connections. */
  public final List<String> driverPackages;
  public final long shutdownTimeoutMillis;
  public final boolean debug;
  /** Template for PostgreSQL's application_name, or "off". */
  public final String applicationName;
  public final boolean serverLimit;
  /** A checkout open longer is a suspected leak; 0 = off. */
  public final long leakThresholdMillis;
  /** Capture the borrow site of every n-th checkout per thread; 0 = never. */
  public final int callsiteSample;
  /** Least time between two borrow-site captures of one thread, in ms (0 = no limit). */
  public final long callsiteIntervalMillis;
  public final int callsiteMax;
  public final List<String> callsiteInclude;
  public final List<String> callsiteExclude;
  public final Spans spans;
  public final long spansWaitThresholdMillis;
  public final long spansUseThresholdMillis;
  /** Test-only: every hook throws after tracking, to prove the app never sees it. */
  public final boolean testFault;

  private AgentConfig(Settings settings, Consumer<String> warn) {
    Reader reader = new Reader(settings, warn);
    enabled = reader.bool(ENABLED, true);
    poolsMax = reader.integer(POOLS_MAX, 20, 1, 1000);
    poolPackages = reader.list(POOL_PACKAGES);
    driverPackages = reader.list(DRIVER_PACKAGES);
    shutdownTimeoutMillis = reader.integer(SHUTDOWN_TIMEOUT, 3000, 0, 60_000);
    debug = reader.bool(DEBUG, false);
    applicationName = reader.string(APPLICATION_NAME, "{service}-{pid}");
    serverLimit = reader.bool(SERVER_LIMIT, true);
    leakThresholdMillis = reader.integer(LEAK_THRESHOLD, 60_000, 0, 86_400_000);
    callsiteSample = reader.integer(CALLSITE_SAMPLE, 1, 0, 1_000_000);
    callsiteIntervalMillis = reader.integer(CALLSITE_INTERVAL, 100, 0, 3_600_000);
    callsiteMax = reader.integer(CALLSITE_MAX, 100, 1, 10_000);
    callsiteInclude = reader.list(CALLSITE_INCLUDE);
    callsiteExclude = reader.list(CALLSITE_EXCLUDE);
    spans = reader.choice(SPANS, Spans.SLOW);
    spansWaitThresholdMillis = reader.integer(SPANS_WAIT_THRESHOLD, 100, 0, 86_400_000);
    spansUseThresholdMillis = reader.integer(SPANS_USE_THRESHOLD, 1_000, 0, 86_400_000);
    testFault = reader.bool(TEST_FAULT, false);
    for (String name : settings.names()) {
      if (!KNOWN.contains(name)) {
        warn.accept("unknown option " + name + " is ignored; did you mean " + nearest(name) + "?");
      }
    }
  }

  public static AgentConfig load(Settings settings) {
    return new AgentConfig(settings, Log::warn);
  }

  static AgentConfig load(Settings settings, Consumer<String> warn) {
    return new AgentConfig(settings, warn);
  }

  static String nearest(String name) {
    String best = KNOWN.get(0);
    int bestDistance = Integer.MAX_VALUE;
    for (String known : KNOWN) {
      int distance = editDistance(name, known);
      if (distance < bestDistance) {
        best = known;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Parses one option at a time and warns once for each bad value. */
  private static final class Reader {
    private final Settings settings;
    private final Consumer<String> warn;

    Reader(Settings settings, Consumer<String> warn) {
      this.settings = settings;
      this.warn = warn;
    }

    boolean bool(String name, boolean fallback) {
      String raw = settings.get(name);
      if (raw == null) {
        return fallback;
      }
      String value = raw.trim().toLowerCase(Locale.ROOT);
      if (value.equals("true") || value.equals("false")) {
        return Boolean.parseBoolean(value);
      }
      warn.accept("option " + name + "=" + raw + " is not true or false; using " + fallback);
      return fallback;
    }

    int integer(String name, int fallback, int min, int max) {
      String raw = settings.get(name);
      if (raw == null) {
        return fallback;
      }
      BigInteger value;
      try {
        value = new BigInteger(raw.trim());
      } catch (NumberFormatException e) {
        warn.accept("option " + name + "=" + raw + " is not a whole number; using " + fallback);
        return fallback;
      }
      // compared as a BigInteger: 99999999999 is too large, not "not a number"
      if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
        int used = value.compareTo(BigInteger.valueOf(min)) < 0 ? min : max;
        warn.accept(
            "option " + name + "=" + raw + " is outside " + min + ".." + max + "; using " + used);
        return used;
      }
      return value.intValue();
    }

    <E extends Enum<E>> E choice(String name, E fallback) {
      String raw = settings.get(name);
      if (raw == null) {
        return fallback;
      }
      for (E value : fallback.getDeclaringClass().getEnumConstants()) {
        if (value.name().equalsIgnoreCase(raw.trim())) {
          return value;
        }
      }
      warn.accept(
          "option " + name + "=" + raw + " is not one of "
              + java.util.Arrays.toString(fallback.getDeclaringClass().getEnumConstants()).toLowerCase(Locale.ROOT)
              + "; using " + fallback.name().toLowerCase(Locale.ROOT));
      return fallback;
    }

    String string(String name, String fallback) {
      String raw = settings.get(name);
      if (raw == null) {
        return fallback;
      }
      if (raw.isBlank()) {
        warn.accept("option " + name + " is empty; using " + fallback);
        return fallback;
      }
      return raw.trim();
    }

    List<String> list(String name) {
      String raw = settings.get(name);
      if (raw == null || raw.isBlank()) {
        return Collections.emptyList();
      }
      List<String> items = new ArrayList<>();
      for (String item : Arrays.asList(raw.split("[,;\\s]+"))) {
        if (!item.isEmpty()) {
          items.add(item);
        }
      }
      return Collections.unmodifiableList(items);
    }
  }
}
