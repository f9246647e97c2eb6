package io.poolscope.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard on a real Prometheus: the demo's workers serve their metrics with the agent's
 * Prometheus exporter, a Prometheus binary scrapes them every second, and every panel's PromQL (all
 * variables "All") must return data through the HTTP API. The fleet numbers must agree three ways:
 * the fleet total, the per-process series summed, and pg_stat_activity.
 */
class DashboardPrometheusTest {

  private static final int WORKERS = 2;
  private static final int POOL_SIZE = 3;
  private static final Pattern ENDPOINT =
      Pattern.compile("Worker (\\d+) serves Prometheus metrics at http://([^/]+)/metrics");
  private static final Pattern PIDS = Pattern.compile("\\(pids? ([\\d, ]+)\\)");

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void everyPanelQueryReturnsDataAndTheFleetAddsUp(@TempDir Path dir) throws Exception {
    Optional<Path> prometheus = PrometheusServer.binary();
    assumeTrue(prometheus.isPresent(), PrometheusServer.INSTALL_HINT);
    Path agent = Paths.get(System.getProperty("poolscope.agent.jar", "../agent/target/poolscope-agent.jar"));
    assertTrue(Files.isRegularFile(agent), agent + " is missing: build the agent first");
    Dashboard dashboard = Dashboard.load();

    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start()) {
      String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
      Demo demo = new Demo(out, out);
      int[] exitCode = {-1};
      Thread running = new Thread(() -> exitCode[0] = demo.run("--prometheus",
          "--workers", String.valueOf(WORKERS), "--pool-size", String.valueOf(POOL_SIZE),
          "--jdbc-url", jdbcUrl, "--duration", "3m", "--interval", "1m", "--agent", agent.toString()),
          "demo");
      running.start();
      try {
        Map<String, String> targets = awaitEndpoints(output);
        try (PrometheusServer server =
            PrometheusServer.start(prometheus.get(), dir, PrometheusServer.scrapeConfig(targets))) {
          System.out.println("Prometheus " + server.version() + " scraping " + targets);
          verify(server, dashboard, jdbcUrl, pids(output));
        }
      } finally {
        demo.stop();
        running.join(TimeUnit.SECONDS.toMillis(30));
        System.out.println(output.toString(StandardCharsets.UTF_8));
      }
      assertEquals(0, exitCode[0], "the demo's exit code");
      for (long pid : pids(output)) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " outlived the demo");
      }
    }
  }

  private void verify(PrometheusServer server, Dashboard dashboard, String jdbcUrl, Set<Long> pids)
      throws Exception {
    List<Dashboard.Query> queries = dashboard.promQueries();
    assertTrue(queries.size() >= 15, "the dashboard's PromQL targets: " + queries);
    String total = "sum(poolscope_connection_physical_count)";
    // fixed-size pools: the fleet settles at WORKERS x POOL_SIZE; rates need two scrapes in a window
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    List<String> missing;
    do {
      Thread.sleep(2000);
      missing = new ArrayList<>();
      for (Dashboard.Query q : queries) {
        if (!hasFiniteValue(server.query(Dashboard.substitute(q.expr())))) {
          missing.add(q.panel() + " [" + q.refId() + "]: " + Dashboard.substitute(q.expr()));
        }
      }
    } while ((!missing.isEmpty() || sum(server.query(total)) != WORKERS * POOL_SIZE)
        && System.nanoTime() < deadline);
    assertTrue(missing.isEmpty(), "panel queries without data:\n" + String.join("\n", missing)
        + "\nPrometheus log:\n" + server.log());

    // the fleet three ways: total, per-process series summed, and the server's own count
    ServerView.Snapshot serverView = new ServerView(jdbcUrl, "postgres", null).snapshot();
    int onServer = 0;
    for (int index = 1; index <= WORKERS; index++) {
      onServer += serverView.of(Worker.applicationName(index));
    }
    JsonNode perProcess = server.query(Dashboard.substitute(target(dashboard, "Physical connections per process", "A")));
    assertEquals(WORKERS, perProcess.size(), "one series per process: " + perProcess);
    for (JsonNode series : perProcess) {
      assertEquals(POOL_SIZE, value(series), "physical connections of " + series.path("metric"));
      assertTrue(pids.contains(series.path("metric").path("process_pid").asLong()),
          "series named by a worker's pid " + pids + ": " + series.path("metric"));
    }
    assertEquals(WORKERS * POOL_SIZE, onServer, "pg_stat_activity: " + serverView.connectionsByApplication());
    assertEquals(onServer, sum(server.query(total)), "fleet total vs pg_stat_activity");
    assertEquals(onServer, sum(perProcess), "per-process series summed vs pg_stat_activity");
    JsonNode vsLimit = server.query(Dashboard.substitute(target(dashboard, "Server connections vs max_connections", "A")));
    assertEquals(onServer, sum(vsLimit), "the per-server panel");
    JsonNode limit = server.query(Dashboard.substitute(target(dashboard, "Server connections vs max_connections", "B")));
    assertEquals(serverView.maxConnections(), sum(limit), "max_connections panel");

    // the process variable shows host:pid, not the instance id behind it
    JsonNode process = dashboard.variable("process");
    String inner = process.path("query").path("query").asText().replaceFirst("^query_result\\((.*)\\)$", "$1");
    String js = process.path("regex").asText();
    Pattern regex = Pattern.compile(js.substring(1, js.lastIndexOf('/')));
    Set<String> texts = new HashSet<>();
    for (JsonNode series : server.query(Dashboard.substitute(inner))) {
      Matcher m = regex.matcher(grafanaText(series));
      assertTrue(m.find(), "process variable regex " + js + " on " + grafanaText(series));
      JsonNode labels = series.path("metric");
      assertEquals(labels.path("instance").asText(), m.group("value"));
      assertEquals(labels.path("host_name").asText() + ":" + labels.path("process_pid").asText(), m.group("text"));
      texts.add(m.group("text"));
    }
    assertEquals(WORKERS, texts.size(), "one readable process per worker: " + texts);
  }

  private static String target(Dashboard dashboard, String panel, String refId) {
    return dashboard.promQueries().stream()
        .filter(q -> q.panel().equals(panel) && q.refId().equals(refId))
        .findFirst().orElseThrow(() -> new AssertionError("no panel " + panel + " " + refId)).expr();
  }

  /** How Grafana's query_result() prints a series, which the variable's regex reads. */
  private static String grafanaText(JsonNode series) {
    List<String> labels = new ArrayList<>();
    Map<String, String> sorted = new TreeMap<>();
    series.path("metric").fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    String name = sorted.remove("__name__");
    sorted.forEach((k, v) -> labels.add(k + "=\"" + v + "\""));
    return (name == null ? "" : name) + "{" + String.join(", ", labels) + "} " + value(series);
  }

  private static boolean hasFiniteValue(JsonNode result) {
    for (JsonNode series : result) {
      if (Double.isFinite(value(series))) {
        return true;
      }
    }
    return false;
  }

  private static double value(JsonNode series) {
    String v = series.path("value").path(1).asText();
    return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
  }

  private static int sum(JsonNode result) {
    double sum = 0;
    for (JsonNode series : result) {
      sum += value(series);
    }
    return (int) Math.round(sum);
  }

  /** The workers' scrape targets by service name, from the demo's startup lines. */
  private static Map<String, String> awaitEndpoints(ByteArrayOutputStream output) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Map<String, String> targets = new TreeMap<>();
      Matcher m = ENDPOINT.matcher(output.toString(StandardCharsets.UTF_8));
      while (m.find()) {
        targets.put("demo-worker-" + m.group(1), m.group(2));
      }
      if (targets.size() == WORKERS) {
        return targets;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the demo printed no Prometheus endpoints:\n" + output.toString(StandardCharsets.UTF_8));
  }

  private static Set<Long> pids(ByteArrayOutputStream output) {
    Set<Long> pids = new HashSet<>();
    Matcher m = PIDS.matcher(output.toString(StandardCharsets.UTF_8));
    if (m.find()) {
      for (String pid : m.group(1).split(",\\s*")) {
        pids.add(Long.parseLong(pid.trim()));
      }
    }
    return pids;
  }
}
