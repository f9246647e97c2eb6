package io.poolscope.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deploy files never run here, so this is what keeps them honest: ports, endpoints, service
 * names, datasource UIDs and metric names must agree across the compose file, the collector, Tempo,
 * Prometheus, the Grafana provisioning and the dashboard, and with the agent's README.
 */
class DeployFilesConsistencyTest {

  private static final Path DEPLOY = Paths.get("deploy");
  private static final Path GRAFANA = Paths.get("grafana");
  private static final Path README = Paths.get("../README.md");

  private final Map<String, Object> compose = yaml(DEPLOY.resolve("docker-compose.yml"));
  private final Map<String, Object> collector = yaml(DEPLOY.resolve("otel-collector.yaml"));
  private final Map<String, Object> tempo = yaml(DEPLOY.resolve("tempo.yaml"));
  private final Map<String, Object> datasources =
      yaml(GRAFANA.resolve("provisioning/datasources/poolscope.yaml"));

  @Test
  void agentsReachTheCollectorOnTheAgentDefaultPort() throws IOException {
    Matcher m = Pattern.compile("\\| `otel\\.exporter\\.otlp\\.endpoint` \\| `(http://[^`]+)` \\|")
        .matcher(Files.readString(README));
    assertTrue(m.find(), "README names the agent's default OTLP endpoint");
    int agentPort = URI.create(m.group(1)).getPort();
    assertEquals(4318, agentPort, "the agent's default: OTLP/HTTP");
    Map<String, Object> otlp = map(map(collector, "receivers"), "otlp");
    assertEquals(agentPort, port(str(map(map(otlp, "protocols"), "http"), "endpoint")), "collector OTLP/HTTP");
    assertEquals(4317, port(str(map(map(otlp, "protocols"), "grpc"), "endpoint")), "collector OTLP/gRPC");
    List<String> published = list(service("otel-collector"), "ports");
    assertTrue(published.contains(agentPort + ":" + agentPort), "compose publishes 4318: " + published);
    assertTrue(published.contains("4317:4317"), "compose publishes 4317: " + published);
  }

  @Test
  void everyPipelineLimitsMemoryFirstBatchesAndExportsToADefinedExporter() {
    Map<String, Object> pipelines = map(map(collector, "service"), "pipelines");
    assertEquals(Set.of("metrics", "traces"), pipelines.keySet());
    for (String name : pipelines.keySet()) {
      Map<String, Object> pipeline = map(pipelines, name);
      assertEquals(List.of("otlp"), list(pipeline, "receivers"), name);
      List<String> processors = list(pipeline, "processors");
      assertEquals("memory_limiter", processors.get(0), name + ": memory_limiter must come first");
      assertTrue(processors.contains("batch"), name + " batches");
      processors.forEach(p -> assertTrue(map(collector, "processors").containsKey(p), p + " defined"));
      list(pipeline, "exporters").forEach(e -> assertTrue(map(collector, "exporters").containsKey(e), e + " defined"));
    }
  }

  @Test
  void metricsGoToPrometheusOtlpReceiverAndTracesToTempo() {
    String metricsExporter = list(map(map(map(collector, "service"), "pipelines"), "metrics"), "exporters").get(0);
    URI metrics = URI.create(str(map(map(collector, "exporters"), metricsExporter), "metrics_endpoint"));
    assertEquals("/api/v1/otlp/v1/metrics", metrics.getPath(), "Prometheus's OTLP receiver path");
    assertTrue(list(service(metrics.getHost()), "command").contains("--web.enable-otlp-receiver"),
        "Prometheus must be started with its OTLP receiver on");
    assertEquals(9090, metrics.getPort());
    assertTrue(list(service("prometheus"), "ports").contains("9090:9090"));

    String tracesExporter = list(map(map(map(collector, "service"), "pipelines"), "traces"), "exporters").get(0);
    String tempoEndpoint = str(map(map(collector, "exporters"), tracesExporter), "endpoint");
    service(tempoEndpoint.substring(0, tempoEndpoint.indexOf(':')));
    Map<String, Object> tempoOtlp = map(map(map(tempo, "distributor"), "receivers"), "otlp");
    assertEquals(port(tempoEndpoint), port(str(map(map(tempoOtlp, "protocols"), "grpc"), "endpoint")),
        "collector -> Tempo OTLP/gRPC");
  }

  @Test
  void grafanaDatasourcesPointAtTheServicesAndTheDashboardUsesTheirUids() throws IOException {
    Map<String, String> uidByType = new HashMap<>();
    for (Object o : (List<?>) datasources.get("datasources")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> ds = (Map<String, Object>) o;
      uidByType.put(str(ds, "type"), str(ds, "uid"));
      URI url = URI.create(str(ds, "url"));
      service(url.getHost());
      int expected = ds.get("type").equals("tempo")
          ? ((Number) map(tempo, "server").get("http_listen_port")).intValue() : 9090;
      assertEquals(expected, url.getPort(), ds.get("name") + " URL " + url);
    }
    assertEquals(Set.of("prometheus", "tempo"), uidByType.keySet());

    Dashboard dashboard = Dashboard.load();
    assertEquals(uidByType.get("prometheus"),
        dashboard.variable("datasource").path("current").path("value").asText(), "default Prometheus");
    Set<String> uids = new TreeSet<>();
    collectDatasourceUids(dashboard.root(), uids);
    uids.remove("${datasource}");
    assertEquals(Set.of(uidByType.get("tempo")), uids, "fixed datasource UIDs in the dashboard");
    String json = Files.readString(Dashboard.FILE);
    assertTrue(json.contains("checkout.*"), "the slow checkout traces link searches checkout spans");

    // the compose file mounts the provisioning and the dashboard where the provider looks
    List<String> volumes = list(service("grafana"), "volumes");
    Map<String, Object> provider = (Map<String, Object>) ((List<?>) yaml(
        GRAFANA.resolve("provisioning/dashboards/poolscope.yaml")).get("providers")).get(0);
    String providerPath = str(map(provider, "options"), "path");
    boolean dashboardMounted = false;
    for (String volume : volumes) {
      String[] parts = volume.split(":");
      assertTrue(Files.exists(DEPLOY.resolve(parts[0])), "mounted file exists: " + parts[0]);
      if (DEPLOY.resolve(parts[0]).normalize().equals(Dashboard.FILE.normalize())) {
        dashboardMounted = Paths.get(parts[1]).getParent().toString().equals(providerPath);
      }
    }
    assertTrue(dashboardMounted, "dashboard mounted into " + providerPath + ": " + volumes);
  }

  @Test
  void everyMetricTheDashboardQueriesIsOneTheAgentEmits() throws IOException {
    Set<String> emitted = prometheusNames(Files.readString(README));
    Set<String> used = new TreeSet<>();
    for (Dashboard.Query q : Dashboard.load().promQueries()) {
      for (String name : Dashboard.metricNames(q.expr())) {
        // a histogram's series end in _bucket, _sum, _count; db_client_connection_count is a gauge
        used.add(emitted.contains(name) ? name : name.replaceFirst("_(bucket|sum|count)$", ""));
      }
    }
    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(emitted);
    assertTrue(unknown.isEmpty(), "queried but not emitted: " + unknown + "; emitted: " + emitted);
    for (String wanted : List.of("poolscope_connection_physical_count", "poolscope_server_connection_limit",
        "db_client_connection_count", "db_client_connection_max", "db_client_connection_pending_requests",
        "db_client_connection_wait_time_seconds", "db_client_connection_use_time_seconds",
        "poolscope_connection_leaks_total", "poolscope_connection_abandoned_total",
        "poolscope_connection_oldest_checkout_age_seconds", "poolscope_connection_use_time_seconds")) {
      assertTrue(used.contains(wanted), "the dashboard shows " + wanted);
    }
  }

  /**
   * The README's metrics as Prometheus names them (OTLP translation and the SDK's exporter agree):
   * dots to underscores, {@code _seconds} for unit s, {@code _total} for counters, {@code {...}} units
   * dropped. Metrics the README documents only in prose (leaks, oldest checkout, per-site use time)
   * are added with their kind, but must still be named in the README.
   */
  static Set<String> prometheusNames(String readme) {
    Set<String> names = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| (`[^|]+`) \\| (\\w+) \\| `([^`]+)` \\|").matcher(readme);
    while (row.find()) {
      List<String> metrics = new ArrayList<>();
      Matcher m = Pattern.compile("`([^`]+)`").matcher(row.group(1));
      while (m.find()) {
        String name = m.group(1);
        // "`db.client.connection.max`, `.idle.max`": a leading dot continues the first name's prefix
        metrics.add(name.startsWith(".") ? metrics.get(0).replaceFirst("\\.[^.]+$", "") + name : name);
      }
      metrics.forEach(name -> names.add(prometheusName(name, row.group(2), row.group(3))));
    }
    Map<String, String[]> prose = Map.of(
        "poolscope.connection.leaks", new String[] {"Counter", "{connection}"},
        "poolscope.connection.oldest_checkout.age", new String[] {"Gauge", "s"},
        "poolscope.connection.use_time", new String[] {"Histogram", "s"});
    prose.forEach((name, kind) -> {
      assertTrue(readme.contains("`" + name + "`"), "README documents " + name);
      names.add(prometheusName(name, kind[0], kind[1]));
    });
    return names;
  }

  static String prometheusName(String otel, String type, String unit) {
    String name = otel.replace('.', '_');
    if (unit.equals("s")) {
      name += "_seconds";
    }
    return type.equals("Counter") ? name + "_total" : name;
  }

  private static void collectDatasourceUids(JsonNode node, Set<String> uids) {
    if (node.isObject()) {
      JsonNode ds = node.get("datasource");
      if (ds != null && ds.isObject() && ds.has("uid")) {
        uids.add(ds.get("uid").asText());
      } else if (ds != null && ds.isTextual() && node.has("queries")) {
        uids.add(ds.asText()); // an Explore pane
      }
      node.fields().forEachRemaining(e -> collectDatasourceUids(e.getValue(), uids));
    } else if (node.isArray()) {
      node.forEach(child -> collectDatasourceUids(child, uids));
    } else if (node.isTextual() && node.asText().startsWith("/explore?")) {
      String decoded = java.net.URLDecoder.decode(node.asText(), java.nio.charset.StandardCharsets.UTF_8);
      try {
        collectDatasourceUids(Dashboard.JSON.readTree(decoded.substring(decoded.indexOf("panes=") + 6)), uids);
      } catch (IOException e) {
        throw new AssertionError("unreadable Explore link " + decoded, e);
      }
    }
  }

  private Map<String, Object> service(String name) {
    Map<String, Object> services = map(compose, "services");
    assertTrue(services.containsKey(name), "no compose service " + name + ": " + services.keySet());
    return map(services, name);
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertTrue(value instanceof Map, "expected a mapping at " + key + " in " + parent.keySet());
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertTrue(value instanceof List, "expected a list at " + key);
    return (List<String>) value;
  }

  private static String str(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertTrue(value != null, "missing " + key + " in " + parent.keySet());
    return value.toString();
  }

  private static Map<String, Object> yaml(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      return new Yaml().load(reader);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }
}
