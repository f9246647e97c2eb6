package io.poolscope.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard JSON as the tests read it: its panels' PromQL, its variables, its datasources. */
final class Dashboard {

  static final Path FILE = Paths.get("grafana/poolscope-dashboard.json");
  static final ObjectMapper JSON = new ObjectMapper();

  /** One PromQL target of a panel. */
  record Query(String panel, String refId, String expr) {}

  private final JsonNode root;

  private Dashboard(JsonNode root) {
    this.root = root;
  }

  static Dashboard load() throws IOException {
    return new Dashboard(JSON.readTree(FILE.toFile()));
  }

  JsonNode root() {
    return root;
  }

  /** Every panel, those inside collapsed rows too. */
  List<JsonNode> panels() {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : root.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** The PromQL of every Prometheus panel target (Tempo panels have TraceQL instead). */
  List<Query> promQueries() {
    List<Query> queries = new ArrayList<>();
    for (JsonNode panel : panels()) {
      if (!panel.path("datasource").path("type").asText().equals("prometheus")) {
        continue;
      }
      for (JsonNode target : panel.path("targets")) {
        queries.add(new Query(panel.path("title").asText(), target.path("refId").asText(),
            target.path("expr").asText()));
      }
    }
    return queries;
  }

  JsonNode variable(String name) {
    for (JsonNode variable : root.path("templating").path("list")) {
      if (variable.path("name").asText().equals(name)) {
        return variable;
      }
    }
    throw new AssertionError("no variable $" + name + " in " + FILE);
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

  /**
   * The query as Prometheus gets it when every variable is "All": dashboard variables become
   * {@code .*}, Grafana's interval variables windows that hold enough 1 s scrapes.
   */
  static String substitute(String expr) {
    Map<String, String> builtIn = Map.of("__rate_interval", "30s", "__interval", "5s", "__range", "5m");
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(builtIn.getOrDefault(m.group(1), ".*")));
    }
    return m.appendTail(out).toString();
  }

  /** Attribute labels that share the metrics' prefix. */
  private static final java.util.Set<String> LABELS =
      java.util.Set.of("db_client_connection_pool_name", "db_client_connection_state");

  private static final Pattern METRIC = Pattern.compile("\\b((?:db_client|poolscope)_[a-z_]+)\\b");

  /** The poolscope metric names the queries use, as written (with _bucket, _sum, ...). */
  static List<String> metricNames(String expr) {
    List<String> names = new ArrayList<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      if (!LABELS.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
