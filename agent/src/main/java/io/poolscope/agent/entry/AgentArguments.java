package io.poolscope.agent.entry;

import io.poolscope.agent.config.Log;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent argument ({@code -javaagent:poolscope-agent.jar=ARGS}, or the options of the attach
 * command) split in two: poolscope options, and {@code otel.*} settings for the SDK, so that an
 * attach can say where metrics go without a restart.
 *
 * <p>Rule: an {@code otel.*} entry becomes a system property of the JVM only where the JVM has
 * no value of its own (neither {@code -Dotel.NAME} nor {@code OTEL_NAME}): the app's settings win,
 * with one warning. Inside such a value {@code ;} separates list items, as in poolscope options,
 * because {@code ,} separates the entries.
 */
final class AgentArguments {

  static final String OTEL_PREFIX = "otel.";

  private final String poolscope;
  private final Map<String, String> otel;

  private AgentArguments(String poolscope, Map<String, String> otel) {
    this.poolscope = poolscope;
    this.otel = Collections.unmodifiableMap(otel);
  }

  static AgentArguments parse(String raw) {
    List<String> poolscope = new ArrayList<>();
    Map<String, String> otel = new LinkedHashMap<>();
    for (String entry : raw == null ? new String[0] : raw.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String name = (eq < 0 ? trimmed : trimmed.substring(0, eq)).trim();
      if (name.startsWith(OTEL_PREFIX) && eq > 0) {
        otel.put(name, trimmed.substring(eq + 1).trim().replace(';', ','));
      } else {
        poolscope.add(trimmed);
      }
    }
    return new AgentArguments(String.join(",", poolscope), otel);
  }

  /** The poolscope options, in the syntax {@code Settings} reads. */
  String poolscope() {
    return poolscope;
  }

  /** The {@code otel.*} entries, lists already joined with {@code ,} as the SDK expects. */
  Map<String, String> otel() {
    return otel;
  }

  /** Sets each {@code otel.*} entry the JVM does not set itself; must run before the SDK starts. */
  void applyOtelDefaults(Properties systemProperties, Map<String, String> env) {
    otel.forEach(
        (name, value) -> {
          if (systemProperties.getProperty(name) != null || env.containsKey(envName(name))) {
            Log.warn(
                name + " from the agent argument is not used: this JVM sets it already (-D" + name
                    + " or " + envName(name) + ")");
          } else {
            systemProperties.setProperty(name, value);
          }
        });
  }

  /** {@code otel.exporter.otlp.endpoint} becomes {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  static String envName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
