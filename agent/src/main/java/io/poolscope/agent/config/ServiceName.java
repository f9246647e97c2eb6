package io.poolscope.agent.config;

import java.util.Map;

/**
 * The service name the process reports: the user's ({@code otel.service.name}, {@code
 * OTEL_SERVICE_NAME}, or {@code service.name} in the resource attributes), else one derived from the
 * main class or jar, never {@code unknown_service}.
 */
public final class ServiceName {

  private ServiceName() {}

  public static String effective(Map<?, ?> systemProperties, Map<String, String> env) {
    String configured = first(systemProperties.get("otel.service.name"), env.get("OTEL_SERVICE_NAME"));
    if (configured == null) {
      configured =
          fromResourceAttributes(
              first(
                  systemProperties.get("otel.resource.attributes"),
                  env.get("OTEL_RESOURCE_ATTRIBUTES")));
    }
    return configured != null
        ? configured
        : derived(String.valueOf(systemProperties.get("sun.java.command")));
  }

  /** The main class's simple name, or the jar's name without {@code .jar}. */
  public static String derived(String javaCommand) {
    String main = javaCommand == null ? "" : javaCommand.trim().split("\\s+", 2)[0];
    if (main.endsWith(".jar")) {
      String file = main.substring(Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1);
      return file.substring(0, file.length() - ".jar".length());
    }
    String simple = main.substring(main.lastIndexOf('.') + 1);
    return simple.isEmpty() || simple.equals("null") ? "java" : simple;
  }

  private static String fromResourceAttributes(String attributes) {
    if (attributes == null) {
      return null;
    }
    for (String pair : attributes.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals("service.name")) {
        String value = pair.substring(eq + 1).trim();
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private static String first(Object a, Object b) {
    if (a != null && !String.valueOf(a).isBlank()) {
      return String.valueOf(a).trim();
    }
    return b != null && !String.valueOf(b).isBlank() ? String.valueOf(b).trim() : null;
  }
}
