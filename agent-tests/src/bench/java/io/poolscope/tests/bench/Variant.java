package io.poolscope.tests.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** One way to start a measured JVM: no agent, poolscope with some options, or the OpenTelemetry agent. */
enum Variant {
  NONE("no agent"),
  POOLSCOPE("poolscope"),
  /** The SDK's OTLP metrics exporter off: what exporting costs at startup and exit. */
  POOLSCOPE_NO_EXPORT("poolscope, otel.metrics.exporter=none", "-Dotel.metrics.exporter=none"),
  /** Every checkout a span and every borrow site captured: the costliest configuration. */
  POOLSCOPE_ALL(
      "poolscope, spans=all, callsite.interval=0",
      "-Dpoolscope.spans=all",
      "-Dpoolscope.callsite.interval=0"),
  /** Diagnostic: default, but no borrow site sampling, to isolate what the stack walks cost. */
  POOLSCOPE_NO_SITES("poolscope, callsite.sample=0", "-Dpoolscope.callsite.sample=0"),
  OTEL("OpenTelemetry agent 2.21.0");

  final String label;
  private final List<String> options;

  Variant(String label, String... options) {
    this.label = label;
    this.options = List.of(options);
  }

  boolean isPoolscope() {
    return name().startsWith("POOLSCOPE");
  }

  /**
   * The flags that attach this variant's agent. Both agents export to the same local sink with their
   * default intervals (metrics every 60 s, spans batched every 5 s), so exporters and instruments are
   * live, as in production, and nothing leaves the machine.
   */
  List<String> jvmArgs(BenchEnv env) {
    List<String> args = new ArrayList<>();
    if (this == NONE) {
      return args;
    }
    args.add("-javaagent:" + (isPoolscope() ? env.poolscopeJar() : env.otelJar()));
    args.add("-Dotel.service.name=bench");
    args.add("-Dotel.exporter.otlp.endpoint=" + env.sinkEndpoint());
    args.add("-Dotel.exporter.otlp.protocol=http/protobuf");
    if (isPoolscope()) {
      // the stub driver's DataSource is unpooled like PGSimpleDataSource; poolscope knows real drivers'
      // packages, not the benchmark's
      args.add("-Dpoolscope.driver.packages=" + StubDriver.class.getPackageName());
    }
    args.addAll(options);
    return args;
  }

  /**
   * The same settings as the options of {@code java -jar poolscope-agent.jar attach PID OPTIONS}
   * ({@code name=value,...}): what this variant's agent would be told if loaded into a running JVM.
   */
  String attachOptions(BenchEnv env) {
    return jvmArgs(env).stream()
        .filter(arg -> arg.startsWith("-D"))
        .map(arg -> arg.substring(2))
        .collect(Collectors.joining(","));
  }
}
