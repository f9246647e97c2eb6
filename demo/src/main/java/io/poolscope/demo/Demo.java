package io.poolscope.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The user's story, runnable: N worker processes, each with its own pool of P connections, against one
 * PostgreSQL, and every few seconds one table that says which process holds which server connections
 * and why the server sees N × P of them.
 */
public final class Demo {

  static final String AGENT_IN_BUILD = "agent/target/poolscope-agent.jar";

  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch stopping = new CountDownLatch(1);

  private EmbeddedPostgres embedded;
  private OtlpMetricsReceiver receiver;
  private WorkerFleet fleet;
  private Path logDir;
  private boolean stopped;

  Demo(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // the table and its sentence use "×"; say so explicitly rather than trust the platform default
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.exit(new Demo(out, System.err).run(args));
  }

  /** Runs until the duration ends or the JVM is asked to exit; returns the exit code. */
  int run(String... args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("poolscope demo: " + e.getMessage() + "\n\n" + Options.USAGE);
      return 2;
    }
    if (options.help) {
      out.println(Options.USAGE);
      return 0;
    }
    List<Path> tried = new ArrayList<>();
    Path agent = findAgent(options.agent, tried);
    if (agent == null) {
      err.println("poolscope demo: the poolscope agent jar was not found. Looked for:");
      tried.forEach(p -> err.println("  " + p));
      err.println("Build it with 'mvn -pl agent package -DskipTests' at the project root,"
          + " or pass --agent PATH.");
      return 2;
    }

    Thread hook = new Thread(this::shutdown, "poolscope-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      FleetTable table = start(options, agent);
      report(options, table);
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("poolscope demo: " + e);
      return 1;
    } finally {
      shutdown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyExiting) {
        // Ctrl-C: the hook is running or has run
      }
    }
  }

  private FleetTable start(Options options, Path agent) throws IOException {
    logDir = Files.createTempDirectory("poolscope-demo-");
    String jdbcUrl = options.jdbcUrl;
    String database;
    if (jdbcUrl == null) {
      out.println("Starting embedded PostgreSQL...");
      // PostgreSQL's own default limit, the one users run into
      embedded = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
      jdbcUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres";
      database = "localhost:" + embedded.getPort() + "/postgres (embedded)";
    } else {
      database = jdbcUrl.replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", "");
    }

    String endpoint = options.otlpEndpoint;
    if (endpoint == null) {
      receiver = OtlpMetricsReceiver.start();
      endpoint = receiver.endpoint();
    }
    fleet = WorkerFleet.start(options, agent, jdbcUrl, options.user, options.password, endpoint, logDir);

    out.printf("PostgreSQL: %s%n", database);
    out.printf("Agent: %s; metrics over OTLP/HTTP to %s%s%n", agent, endpoint,
        receiver == null ? "" : " (this demo)");
    String plural = options.workers == 1 ? "" : "s";
    out.printf("Started %d worker JVM%s (pid%s %s), each with a HikariCP pool of %d%s.%n",
        options.workers, plural, plural,
        fleet.handles().stream().map(h -> String.valueOf(h.pid())).collect(Collectors.joining(", ")),
        options.poolSize, options.leak ? " and one leaked connection" : "");
    for (WorkerFleet.Handle worker : fleet.handles()) {
      if (worker.prometheusEndpoint() != null) {
        out.printf("Worker %d serves Prometheus metrics at %s%n", worker.index(), worker.prometheusEndpoint());
      }
    }
    out.printf("Worker logs in %s. A table every %ds%s.%n", logDir, options.interval.toSeconds(),
        options.duration == null ? "; Ctrl-C to stop" : " for " + options.duration.toSeconds() + "s");
    return new FleetTable(options, database, receiver);
  }

  /** Prints a table every interval; at the end of the duration one last table, then returns. */
  private void report(Options options, FleetTable table) {
    ServerView server = new ServerView(
        options.jdbcUrl == null
            ? "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres"
            : options.jdbcUrl,
        options.user, options.password);
    long startNanos = System.nanoTime();
    long endNanos = options.duration == null ? Long.MAX_VALUE : startNanos + options.duration.toNanos();
    Set<Integer> reportedDead = new HashSet<>();
    while (true) {
      long now = System.nanoTime();
      long wait = Math.min(options.interval.toNanos(), endNanos - now);
      try {
        if (stopping.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
          return; // Ctrl-C: the shutdown hook is stopping everything
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (WorkerFleet.Handle worker : fleet.handles()) {
        if (!worker.process().isAlive() && reportedDead.add(worker.index())) {
          err.printf("worker %d (pid %d) exited with code %d; its last output:%n%s%n", worker.index(),
              worker.pid(), worker.process().exitValue(), WorkerFleet.tail(worker.log(), 15));
        }
      }
      ServerView.Snapshot snapshot = null;
      String serverError = null;
      try {
        snapshot = server.snapshot();
      } catch (SQLException e) {
        serverError = e.getMessage();
      }
      if (stopping.getCount() == 0) {
        return;
      }
      out.print(table.render(fleet.handles(), snapshot, serverError,
          Duration.ofNanos(System.nanoTime() - startNanos)));
      out.flush();
      if (System.nanoTime() >= endNanos) {
        return;
      }
    }
  }

  /** Ends a {@link #run} going on in another thread as Ctrl-C would, for tests that drive the demo. */
  void stop() {
    stopping.countDown();
  }

  /** Idempotent: from the end of {@link #run} or from the shutdown hook on Ctrl-C, whichever is first. */
  private synchronized void shutdown() {
    if (stopped) {
      return;
    }
    stopped = true;
    stopping.countDown();
    out.println("Stopping the workers" + (embedded == null ? "" : " and PostgreSQL") + "...");
    if (fleet != null) {
      fleet.close(); // before the receiver: the agents' last flush still has somewhere to go
    }
    if (receiver != null) {
      receiver.close();
    }
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        err.println("poolscope demo: stopping PostgreSQL: " + e.getMessage());
      }
    }
    if (logDir != null) {
      deleteRecursively(logDir);
    }
    out.println("Stopped.");
    out.flush();
  }

  /**
   * {@code --agent}, else {@value #AGENT_IN_BUILD} under the current directory, else the same path in
   * the project this demo was built in (the demo jar sits in {@code demo/target/}).
   */
  static Path findAgent(Path given, List<Path> tried) {
    List<Path> candidates = new ArrayList<>();
    if (given != null) {
      candidates.add(given);
    } else {
      candidates.add(Paths.get(AGENT_IN_BUILD));
      Path ownLocation = ownLocation();
      if (ownLocation != null && ownLocation.getParent() != null) {
        // demo/target/poolscope-demo.jar or demo/target/classes: both have demo/target as parent
        candidates.add(ownLocation.getParent().resolve("../../" + AGENT_IN_BUILD));
      }
    }
    for (Path candidate : candidates) {
      Path absolute = candidate.toAbsolutePath().normalize();
      tried.add(absolute);
      if (Files.isRegularFile(absolute)) {
        return absolute;
      }
    }
    return null;
  }

  private static Path ownLocation() {
    try {
      return Paths.get(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is not worth failing the exit for
    }
  }
}
