package io.poolscope.tests.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A separate JVM running one test app, like a user's process: the agent is attached with
 * {@code -javaagent} at startup, never loaded into the test JVM itself.
 *
 * <p>Output goes to files under {@code target/child-jvms/} rather than pipes, so a chatty child
 * can never block on a full pipe, and the files stay behind for a post-mortem.
 */
public final class ChildJvm {

  public static final Path TEMURIN_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  /** Matches the apps' rest time: several exports land while a pool is idle. */
  public static final String EXPORT_INTERVAL_MILLIS = "200";
  /**
   * The {@code java} every child runs on unless a test picks one: {@code -Dpoolscope.test.java=...}
   * runs the same tests on another JDK (the build's {@code jdk25} run), else the test JVM's own.
   */
  public static final String JAVA_PROPERTY = "poolscope.test.java";

  /** Where children's output goes; the {@code jdk25} run keeps its own apart. */
  static final Path LOG_DIR =
      Paths.get(System.getProperty("poolscope.test.logs", Paths.get("target", "child-jvms").toString()));
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final String name;
  private final Process process;
  private final Path stdoutFile;
  private final Path stderrFile;
  private final List<String> command;

  private ChildJvm(String name, Process process, Path stdout, Path stderr, List<String> command) {
    this.name = name;
    this.process = process;
    this.stdoutFile = stdout;
    this.stderrFile = stderr;
    this.command = command;
  }

  /**
   * A child with the agent and the OTLP defaults pointing at {@code receiver}. The exit waits up to
   * 15 s (default 3 s) for the SDK to start and send: on a CI machine running three test classes at
   * once, a short app once exited with none of its figures sent.
   */
  public static Builder withAgent(OtlpReceiver receiver) {
    return new Builder()
        .agent(AgentJar.path())
        .property("otel.exporter.otlp.endpoint", receiver.endpoint())
        .property("otel.exporter.otlp.protocol", "http/protobuf")
        .property("otel.metric.export.interval", EXPORT_INTERVAL_MILLIS)
        .property("poolscope.shutdown.timeout", "15000");
  }

  /** A plain child: same classpath, no agent. */
  public static Builder withoutAgent() {
    return new Builder();
  }

  /** The Temurin 25 java for a JDK 25 variant of a test; the test is skipped, saying why, without it. */
  public static Optional<Path> temurin25OrSkip() {
    Optional<Path> java = temurin25();
    Assumptions.assumeTrue(java.isPresent(),
        "Temurin 25 not installed at " + TEMURIN_25 + ": skipping the JDK 25 run");
    return java;
  }

  public static Optional<Path> temurin25() {
    return Files.isExecutable(TEMURIN_25) ? Optional.of(TEMURIN_25) : Optional.empty();
  }

  /** See {@link #JAVA_PROPERTY}; a configured launcher that is missing fails, never falls back. */
  public static Path defaultJava() {
    String configured = System.getProperty(JAVA_PROPERTY);
    if (configured == null || configured.isBlank()) {
      return Paths.get(System.getProperty("java.home"), "bin", "java");
    }
    Path java = Paths.get(configured);
    if (!Files.isExecutable(java)) {
      throw new IllegalStateException("-D" + JAVA_PROPERTY + "=" + configured + " is not executable");
    }
    return java;
  }

  public long pid() {
    return process.pid();
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Cleanup after a failed test: a long-running child must not outlive it. */
  public void kill() {
    process.destroyForcibly();
  }

  public List<String> command() {
    return command;
  }

  /** Waits for the exit; on timeout kills the child and fails the test with what it printed. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(name + " did not exit within " + timeout + "; killed it.\n" + report());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
  }

  /** Complete once the child has exited; so far while it runs. */
  public String stdout() {
    return read(stdoutFile);
  }

  public String stderr() {
    return read(stderrFile);
  }

  /**
   * The first stdout line starting with {@code prefix}, once printed: how a long-running app says
   * it reached a state. Fails with the child's report if it exits first or time runs out.
   */
  public String awaitStdoutLine(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean exited = !process.isAlive();
      Optional<String> line = stdout().lines().filter(l -> l.startsWith(prefix)).findFirst();
      if (line.isPresent()) {
        return line.get();
      }
      if (exited || System.nanoTime() - deadline >= 0) {
        fail(name + " printed no line starting with \"" + prefix + "\" within " + timeout
            + (exited ? " before it exited" : "") + "\n" + report());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  public List<String> stderrLines() {
    return stderr().lines().toList();
  }

  /** Command, exit state, stdout and stderr: for failure messages. */
  public String report() {
    String exit = process.isAlive() ? "still running" : "exit code " + process.exitValue();
    return "---- " + name + " (pid " + pid() + ", " + exit + ")\n"
        + "command: " + commandLine() + "\n"
        + "---- stdout (" + stdoutFile + ")\n" + stdout()
        + "---- stderr (" + stderrFile + ")\n" + stderr() + "---- end of " + name + "\n";
  }

  /** The command with the long test classpath abbreviated; jars a test put in front are named. */
  public String commandLine() {
    List<String> shown = new ArrayList<>(command);
    int cp = shown.indexOf("-cp");
    if (cp >= 0 && cp + 1 < shown.size()) {
      Set<String> test = Set.of(testClassPath().split(File.pathSeparator));
      List<String> entries = List.of(shown.get(cp + 1).split(File.pathSeparator));
      List<String> own = entries.stream().filter(e -> !test.contains(e)).toList();
      shown.set(cp + 1, own.isEmpty()
          ? "<test classpath, " + entries.size() + " entries>"
          : String.join(File.pathSeparator, own) + File.pathSeparator + "<"
              + (entries.size() - own.size()) + " entries of the test classpath>");
    }
    return String.join(" ", shown);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }

  /** Builds and starts one child. */
  public static final class Builder {
    private Path java = defaultJava();
    private Path agentJar;
    private String agentArgs;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private String mainClass;
    private Path executableJar;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private Predicate<String> dropFromClassPath = entry -> false;
    private final List<Path> classPathFirst = new ArrayList<>();

    private Builder() {
      // up to 3 children beside the test JVM and PostgreSQL: keep each small. The JIT is left
      // as users have it (C2 included): inlined advice must survive full optimization.
      jvmOptions.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC"));
    }

    public Builder java(Path javaExecutable) {
      this.java = javaExecutable;
      return this;
    }

    public Builder agent(Path jar) {
      this.agentJar = jar;
      return this;
    }

    /** The part after {@code =} in {@code -javaagent:jar=args}. */
    public Builder agentArgs(String args) {
      this.agentArgs = args;
      return this;
    }

    public Builder noAgent() {
      this.agentJar = null;
      return this;
    }

    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    public Builder removeProperty(String key) {
      properties.remove(key);
      return this;
    }

    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    public Builder main(Class<?> main) {
      this.mainClass = main.getName();
      return this;
    }

    /**
     * The test classpath without the entries {@code drop} matches, and {@code jars} in front: an app
     * that ships its own version of a library the tests themselves are built with.
     */
    public Builder replaceOnClassPath(Predicate<String> drop, List<Path> jars) {
      this.dropFromClassPath = drop;
      classPathFirst.addAll(jars);
      return this;
    }

    /** Runs {@code java -jar jar} (its manifest names the main class) instead of the test classpath. */
    public Builder jar(Path jar) {
      this.executableJar = jar;
      return this;
    }

    /** An environment variable of the child, beside those the test JVM passes on. */
    public Builder env(String name, String value) {
      environment.put(name, value);
      return this;
    }

    public Builder args(Object... values) {
      for (Object value : values) {
        args.add(String.valueOf(value));
      }
      return this;
    }

    public ChildJvm start() {
      if (mainClass == null && executableJar == null) {
        throw new IllegalStateException("no main class");
      }
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      command.addAll(jvmOptions);
      if (agentJar != null) {
        command.add("-javaagent:" + agentJar + (agentArgs == null ? "" : "=" + agentArgs));
      }
      properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
      if (executableJar != null) {
        command.add("-jar");
        command.add(executableJar.toString());
      } else {
        command.add("-cp");
        command.add(Stream.concat(classPathFirst.stream().map(Path::toString),
                Stream.of(testClassPath().split(File.pathSeparator)).filter(dropFromClassPath.negate()))
            .collect(Collectors.joining(File.pathSeparator)));
        command.add(mainClass);
      }
      command.addAll(args);

      String main = executableJar != null
          ? executableJar.getFileName().toString().replaceFirst("\\.jar$", "")
          : mainClass.substring(mainClass.lastIndexOf('.') + 1);
      String name = main + "-" + SEQUENCE.incrementAndGet();
      try {
        Files.createDirectories(LOG_DIR);
        Path stdout = LOG_DIR.resolve(name + ".out");
        Path stderr = LOG_DIR.resolve(name + ".err");
        ProcessBuilder processBuilder = new ProcessBuilder(command);
        processBuilder.environment().putAll(environment);
        Process process = processBuilder
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        return new ChildJvm(name, process, stdout, stderr, List.copyOf(command));
      } catch (IOException e) {
        throw new UncheckedIOException("could not start " + String.join(" ", command), e);
      }
    }
  }

  /** The classpath every child gets, for launchers of their own (the benchmarks' JMH forks). */
  public static String appClassPath() {
    return testClassPath();
  }

  /**
   * The test classpath (test apps, pools, driver), without the agent module itself: the agent
   * must come only through {@code -javaagent}, as it does for users. Surefire puts the real
   * classpath in {@code surefire.test.class.path}; {@code java.class.path} may be a manifest jar.
   */
  static String testClassPath() {
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isBlank()) {
      classPath = System.getProperty("java.class.path");
    }
    return Stream.of(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .filter(entry -> !isAgentModule(entry))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static boolean isAgentModule(String entry) {
    String normalized = entry.replace('\\', '/');
    return normalized.contains("/poolscope-agent-0") || normalized.endsWith("/agent/target/classes");
  }
}
