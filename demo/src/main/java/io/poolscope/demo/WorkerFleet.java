package io.poolscope.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker JVMs: each a child {@code java} running {@link Worker} from the demo's own classpath with
 * the agent attached, its output in a log file. A worker also exits by itself when its stdin (a pipe
 * from the demo) closes, so none outlives the demo even if the demo is killed.
 */
final class WorkerFleet implements AutoCloseable {

  /** One worker process. */
  record Handle(int index, Process process, Path log, int prometheusPort) {
    long pid() {
      return process.pid();
    }

    String serviceName() {
      return "demo-worker-" + index;
    }

    String poolName() {
      return Worker.poolName(index);
    }

    String applicationName() {
      return Worker.applicationName(index);
    }

    /** The worker's scrape endpoint, or null without {@code --prometheus}. */
    String prometheusEndpoint() {
      return prometheusPort == 0 ? null : "http://127.0.0.1:" + prometheusPort + "/metrics";
    }
  }

  private final List<Handle> handles = new ArrayList<>();

  private WorkerFleet() {}

  static WorkerFleet start(
      Options options, Path agentJar, String jdbcUrl, String user, String password,
      String otlpEndpoint, Path logDir) throws IOException {
    WorkerFleet fleet = new WorkerFleet();
    try {
      for (int index = 1; index <= options.workers; index++) {
        List<String> command = new ArrayList<>(List.of(
            javaCommand(),
            // many small JVMs on a small machine: start fast, stay small
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-javaagent:" + agentJar,
            "-Dotel.exporter.otlp.endpoint=" + otlpEndpoint,
            "-Dotel.exporter.otlp.protocol=http/protobuf",
            "-Dotel.metric.export.interval=1000",
            "-Dotel.service.name=demo-worker-" + index));
        int prometheusPort = options.prometheus ? freeLoopbackPort() : 0;
        if (prometheusPort != 0) {
          // both readers: OTLP still feeds the table, the endpoint is for a Prometheus to scrape
          command.addAll(List.of(
              "-Dotel.metrics.exporter=otlp,prometheus",
              "-Dotel.exporter.prometheus.host=127.0.0.1",
              "-Dotel.exporter.prometheus.port=" + prometheusPort));
        }
        command.addAll(List.of(
            "-cp", System.getProperty("java.class.path"),
            Worker.class.getName(),
            String.valueOf(index), jdbcUrl, user, String.valueOf(options.poolSize),
            String.valueOf(options.leak)));
        Path log = logDir.resolve("worker-" + index + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        if (password != null) {
          builder.environment().put(Worker.PASSWORD_ENV, password);
        }
        fleet.handles.add(new Handle(index, builder.start(), log, prometheusPort));
      }
    } catch (IOException | RuntimeException e) {
      fleet.close();
      throw e;
    }
    return fleet;
  }

  List<Handle> handles() {
    return handles;
  }

  /** The java binary running the demo, so the workers run on the same JDK. */
  static String javaCommand() {
    return ProcessHandle.current().info().command()
        .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** A port free right now; the worker binds it a moment later, so a clash is possible but rare. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The last lines of a worker's log, for when it died. */
  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Asks every worker to stop (SIGTERM: the agent flushes), waits up to 5 s, then kills the rest. */
  @Override
  public void close() {
    for (Handle h : handles) {
      h.process().destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Handle h : handles) {
      try {
        long left = deadline - System.nanoTime();
        if (!h.process().waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          h.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        h.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
