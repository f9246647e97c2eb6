package io.poolscope.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A real Prometheus binary on a free loopback port, with its own config and storage in a temp dir. */
final class PrometheusServer implements AutoCloseable {

  static final String INSTALL_HINT =
      "no 'prometheus' binary on PATH: install it (Debian/Ubuntu: apt-get install prometheus; or the"
          + " release tarball from https://prometheus.io/download/ with its directory on PATH)";

  private final Process process;
  private final Path log;
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
  }

  static Optional<Path> binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "prometheus");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Starts Prometheus with {@code config} (YAML) and waits until it is ready. */
  static PrometheusServer start(Path binary, Path dir, String config) throws Exception {
    Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
    Path log = dir.resolve("prometheus.log");
    int port = WorkerFleet.freeLoopbackPort();
    Process process = new ProcessBuilder(binary.toString(),
        "--config.file=" + configFile,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(process, log, port);
    try {
      server.awaitReady();
    } catch (Exception | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  String version() throws Exception {
    return get("/api/v1/status/buildinfo").path("data").path("version").asText();
  }

  /** The result vector of an instant query; fails on a PromQL error. */
  JsonNode query(String promql) throws Exception {
    JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!answer.path("status").asText().equals("success")) {
      throw new AssertionError("Prometheus rejected " + promql + ": " + answer);
    }
    return answer.path("data").path("result");
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return Dashboard.JSON.readTree(response.body());
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<Void> ready = http.send(
            HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("prometheus not ready after 30 s:\n" + log());
  }

  String log() {
    return WorkerFleet.tail(log, 30);
  }

  /** SIGTERM, then SIGKILL after 10 s: no Prometheus outlives the test. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Scrapes every endpoint ({@code host:port} by job) each second; job is the service, as with OTLP. */
  static String scrapeConfig(java.util.Map<String, String> targetsByJob) {
    StringBuilder yaml = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        + "scrape_configs:\n  - job_name: poolscope\n    static_configs:\n");
    targetsByJob.forEach((job, target) -> yaml
        .append("      - targets: ['").append(target).append("']\n")
        .append("        labels: {job: '").append(job).append("'}\n"));
    return yaml.toString();
  }
}
