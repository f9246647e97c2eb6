package io.poolscope.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.poolscope.agent.config.ServiceName;
import java.net.InetAddress;
import java.util.UUID;

/**
 * Fills in what tells processes apart, so that "15 connections" can be split by process: a service
 * name that is never {@code unknown_service}, an instance id, host, pid and runtime. Values the user
 * set through {@code otel.service.name} or {@code otel.resource.attributes} always win.
 */
final class ResourceDefaults {

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private ResourceDefaults() {}

  static Resource apply(Resource resource, ConfigProperties config, String version) {
    ResourceBuilder builder = resource.toBuilder();
    if (config.getString("otel.service.name") == null
        && !config.getMap("otel.resource.attributes").containsKey("service.name")) {
      builder.put(SERVICE_NAME, ServiceName.derived(System.getProperty("sun.java.command")));
    }
    putIfAbsent(builder, resource, "service.instance.id", UUID.randomUUID().toString());
    putIfAbsent(builder, resource, "host.name", hostName());
    putIfAbsent(builder, resource, "process.runtime.name", System.getProperty("java.runtime.name"));
    putIfAbsent(builder, resource, "process.runtime.version", System.getProperty("java.runtime.version"));
    putIfAbsent(
        builder,
        resource,
        "process.runtime.description",
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
            + System.getProperty("java.vm.version"));
    if (resource.getAttribute(AttributeKey.longKey("process.pid")) == null) {
      builder.put(AttributeKey.longKey("process.pid"), ProcessHandle.current().pid());
    }
    builder.put("telemetry.distro.name", "poolscope");
    builder.put("telemetry.distro.version", version);
    return builder.build();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      String fromEnv = System.getenv("HOSTNAME");
      return fromEnv == null ? "localhost" : fromEnv;
    }
  }

  private static void putIfAbsent(ResourceBuilder builder, Resource resource, String key, String value) {
    if (value != null && resource.getAttribute(AttributeKey.stringKey(key)) == null) {
      builder.put(key, value);
    }
  }
}
