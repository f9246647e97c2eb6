package io.poolscope.tests.bench;

import io.poolscope.tests.apps.LibrariesApp;
import io.poolscope.tests.bench.Table.Column;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Startup: {@link HelloApp} with each variant, runs interleaved round by round so a burst of load on
 * the shared machine hits every variant alike; the median of each. JVM defaults otherwise, as a user
 * starts an app. One unmeasured round first warms the page cache. Each round also runs
 * {@link LibrariesApp} over {@link #LIBRARIES}: the per-class cost of the agents' transformers.
 */
final class StartupSection {

  private static final Map<Variant, Column> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put(Variant.NONE, Column.NONE);
    COLUMNS.put(Variant.POOLSCOPE, Column.POOLSCOPE);
    COLUMNS.put(Variant.POOLSCOPE_NO_EXPORT, Column.VARIANT);
    COLUMNS.put(Variant.OTEL, Column.OTEL);
  }

  /**
   * {@link LibrariesApp}'s arguments: load only, the jars of the benchmark's class path (prefixes of
   * their names) with a JDBC driver and four pools among general-purpose libraries, about 5,000 classes.
   */
  private static final String[] LIBRARIES = {
    "load", "postgresql-", "HikariCP-", "commons-dbcp2-", "commons-pool2-", "c3p0-", "mchange-commons-java-",
    "tomcat-jdbc-", "protobuf-java-", "commons-math3-", "commons-compress-", "commons-lang3-",
    "commons-io-"
  };

  private StartupSection() {}

  static void run(BenchEnv env, Table table) {
    int runs = env.quick() ? 3 : 7;
    Map<Variant, List<Double>> wall = new EnumMap<>(Variant.class);
    Map<Variant, List<Double>> rss = new EnumMap<>(Variant.class);
    Map<Variant, List<Double>> cpu = new EnumMap<>(Variant.class);
    Map<Variant, List<Double>> toMain = new EnumMap<>(Variant.class);
    Map<Variant, List<Double>> librariesWall = new EnumMap<>(Variant.class);
    double classes = 0;
    for (int round = 0; round <= runs; round++) {
      for (Variant variant : Stats.turn(COLUMNS.keySet(), round)) {
        Launch.Result result =
            Launch.java(env, variant, List.of(), HelloApp.class, Duration.ofSeconds(60));
        Launch.Result libraries = Launch.java(
            env, variant, List.of(), LibrariesApp.class, Duration.ofSeconds(120), LIBRARIES);
        if (round == 0) {
          continue;
        }
        wall.computeIfAbsent(variant, v -> new ArrayList<>()).add(result.wallNanos() / 1e6);
        long rssKib = result.peakRssKib() >= 0
            ? result.peakRssKib() : (long) result.number("HELLO", "vmHwmKib");
        rss.computeIfAbsent(variant, v -> new ArrayList<>()).add(rssKib / 1024.0);
        cpu.computeIfAbsent(variant, v -> new ArrayList<>()).add((double) result.cpuMillis());
        toMain.computeIfAbsent(variant, v -> new ArrayList<>())
            .add(result.number("HELLO", "mainAtMillis") - result.launchedAtMillis());
        librariesWall.computeIfAbsent(variant, v -> new ArrayList<>())
            .add(libraries.wallNanos() / 1e6);
        classes = libraries.number("LIBRARIES", "loaded");
      }
    }
    BenchSuite.log("startup wall ms " + wall);
    BenchSuite.log("startup peak RSS MiB " + rss);
    BenchSuite.log("startup CPU ms " + cpu);
    BenchSuite.log("startup launch to main ms " + toMain);
    BenchSuite.log("startup of the libraries app wall ms " + librariesWall);

    Map<Column, Double> wallMs = medians(wall);
    Map<Column, Double> rssMib = medians(rss);
    Map<Column, Double> cpuMs = medians(cpu);
    Map<Column, Double> toMainMs = medians(toMain);
    double wallDelta = wallMs.get(Column.POOLSCOPE) - wallMs.get(Column.NONE);
    double rssDelta = rssMib.get(Column.POOLSCOPE) - rssMib.get(Column.NONE);
    table.add("startup, hello app loading the PostgreSQL driver: wall ms (median of " + runs + ")",
        wallMs, v -> Table.fixed(v, 0), d -> Table.signed(d, 0),
        "≤ +150 ms, ≤ OTel",
        Table.verdict(wallDelta <= 150, wallMs.get(Column.POOLSCOPE) <= wallMs.get(Column.OTEL)));
    Map<Column, Double> librariesMs = medians(librariesWall);
    table.add(String.format(Locale.ROOT,
            "startup, app loading the %,.0f classes of 12 libraries (pgjdbc, four pools, protobuf,"
                + " commons-*): wall ms (median of %d)", classes, runs),
        librariesMs, v -> Table.fixed(v, 0), d -> Table.signed(d, 0),
        "≤ OTel", Table.verdict(librariesMs.get(Column.POOLSCOPE) <= librariesMs.get(Column.OTEL)));
    // premain runs before main, the agents' exit work (final export) after it
    table.add("startup: launch to main() ms (median; the rest of the wall is main and exit)",
        toMainMs, v -> Table.fixed(v, 0), d -> Table.signed(d, 0), "(part of the wall budget)", "—");
    table.add("startup: peak RSS MiB (median)",
        rssMib, v -> Table.fixed(v, 1), d -> Table.signed(d, 1),
        "≤ +40 MiB, ≤ OTel",
        Table.verdict(rssDelta <= 40, rssMib.get(Column.POOLSCOPE) <= rssMib.get(Column.OTEL)));
    if (cpuMs.get(Column.NONE) >= 0) {
      table.add("startup: CPU user+sys ms (median)",
          cpuMs, v -> Table.fixed(v, 0), d -> Table.signed(d, 0),
          "≤ OTel", Table.verdict(cpuMs.get(Column.POOLSCOPE) <= cpuMs.get(Column.OTEL)));
    }
  }

  private static Map<Column, Double> medians(Map<Variant, List<Double>> runs) {
    Map<Column, Double> out = new EnumMap<>(Column.class);
    runs.forEach((variant, values) -> out.put(COLUMNS.get(variant), Stats.median(values)));
    return out;
  }
}
