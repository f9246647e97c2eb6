package io.poolscope.demo;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo's command line: {@code --name value} or {@code --name=value}. */
final class Options {

  static final String USAGE = String.join("\n",
      "Usage: java -jar demo/target/poolscope-demo.jar [options]",
      "",
      "Starts worker JVMs, each with its own HikariCP pool and the poolscope agent, against one",
      "PostgreSQL, and prints which process holds which server connections.",
      "",
      "Options:",
      "  --workers N            worker processes (default 3)",
      "  --pool-size N          connections per worker pool; minimumIdle = maximum (default 5)",
      "  --duration D           run for D, e.g. 30s, 2m (default: until Ctrl-C)",
      "  --interval D           print the table every D (default 5s)",
      "  --jdbc-url URL         use this PostgreSQL instead of starting an embedded one",
      "  --user NAME            user for --jdbc-url (default postgres)",
      "  --password SECRET      password for --jdbc-url (default none)",
      "  --agent PATH           the poolscope agent jar (default: agent/target/poolscope-agent.jar",
      "                         in the current directory, else next to this jar's module)",
      "  --otlp-endpoint URL    workers export to this OTLP/HTTP collector instead of the demo;",
      "                         the table then shows the server side only",
      "  --prometheus           each worker also serves its metrics for Prometheus to scrape, on",
      "                         a free loopback port printed at startup (otel.metrics.exporter=prometheus)",
      "  --no-leak              do not inject the leaked connection",
      "  --help                 print this help");

  int workers = 3;
  int poolSize = 5;
  /** Null: until Ctrl-C. */
  Duration duration;
  Duration interval = Duration.ofSeconds(5);
  String jdbcUrl;
  String user = "postgres";
  String password;
  Path agent;
  String otlpEndpoint;
  boolean leak = true;
  boolean prometheus;
  boolean help;

  /** @throws IllegalArgumentException with a message fit for the user */
  static Options parse(String... args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--help", "-h" -> o.help = true;
        case "--no-leak" -> o.leak = false;
        case "--prometheus" -> o.prometheus = true;
        case "--workers", "--pool-size", "--duration", "--interval", "--jdbc-url", "--user",
            "--password", "--agent", "--otlp-endpoint" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + " needs a value");
            }
            value = args[++i];
          }
          o.set(name, value);
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return o;
  }

  private void set(String name, String value) {
    switch (name) {
      case "--workers" -> workers = positive(name, value);
      case "--pool-size" -> poolSize = positive(name, value);
      case "--duration" -> duration = duration(name, value);
      case "--interval" -> interval = duration(name, value);
      case "--jdbc-url" -> jdbcUrl = value;
      case "--user" -> user = value;
      case "--password" -> password = value;
      case "--agent" -> agent = Paths.get(value);
      case "--otlp-endpoint" -> otlpEndpoint = value.replaceAll("/+$", "");
      default -> throw new IllegalStateException(name);
    }
  }

  private static int positive(String name, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the option's name
    }
    throw new IllegalArgumentException(name + " wants a whole number above 0, not '" + value + "'");
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
  static Duration duration(String name, String value) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(name + " wants a duration like 30s or 2m, not '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.isZero()) {
      throw new IllegalArgumentException(name + " must be longer than 0");
    }
    return d;
  }
}
