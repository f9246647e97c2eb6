package io.poolscope.agent.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Raw {@code poolscope.*} values from the three places users set them. Precedence, highest first:
 * {@code -javaagent:poolscope-agent.jar=NAME=VALUE,...}, {@code -Dpoolscope.NAME=VALUE}, the
 * environment variable {@code POOLSCOPE_NAME} (dots and dashes as underscores).
 */
public final class Settings {

  static final String PREFIX = "poolscope.";

  private final Map<String, String> values = new LinkedHashMap<>();

  private Settings() {}

  public static Settings from(String agentArgs, Map<?, ?> systemProperties, Map<String, String> env) {
    Settings settings = new Settings();
    env.forEach(
        (key, value) -> {
          if (key.startsWith("POOLSCOPE_")) {
            settings.values.put(fromEnvName(key), value);
          }
        });
    systemProperties.forEach(
        (key, value) -> {
          String name = String.valueOf(key);
          if (name.startsWith(PREFIX)) {
            settings.values.put(name, String.valueOf(value));
          }
        });
    if (agentArgs != null && !agentArgs.isBlank()) {
      for (String pair : agentArgs.split(",")) {
        int eq = pair.indexOf('=');
        String name = (eq < 0 ? pair : pair.substring(0, eq)).trim();
        String value = eq < 0 ? "true" : pair.substring(eq + 1).trim();
        settings.values.put(name.startsWith(PREFIX) ? name : PREFIX + name, value);
      }
    }
    return settings;
  }

  /** {@code POOLSCOPE_POOLS_MAX} → {@code poolscope.pools.max}. */
  static String fromEnvName(String envName) {
    return envName.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  String get(String name) {
    return values.get(name);
  }

  Iterable<String> names() {
    return values.keySet();
  }
}
