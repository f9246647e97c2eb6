package io.poolscope.tests.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent jar's command line, run as a user runs it: {@code java -jar poolscope-agent.jar ARGS}
 * in its own process. Output goes to files beside the children's ({@code target/child-jvms/}).
 */
public final class AgentCli {

  private static final long TIMEOUT_SECONDS = 60;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private AgentCli() {}

  /** What one run printed and how it ended. */
  public record Result(List<String> command, long pid, int exitCode, String stdout, String stderr) {

    public List<String> stdoutLines() {
      return stdout.lines().toList();
    }

    public List<String> stderrLines() {
      return stderr.lines().toList();
    }

    @Override
    public String toString() {
      return "command: " + String.join(" ", command) + "\npid " + pid + ", exit code " + exitCode
          + "\n---- stdout\n" + stdout + "---- stderr\n" + stderr + "---- end";
    }
  }

  public static Result run(String... args) {
    return launch(List.of(), AgentJar.path(), args);
  }

  /**
   * As another OS user, through {@code runuser} (the tests must run as root for that), on a copy of
   * the jar that user can read: the checkout may sit in a directory only its owner can enter.
   */
  public static Result runAs(String user, String... args) {
    return launch(List.of("runuser", "-u", user, "--"), readableByAll(AgentJar.path()), args);
  }

  private static Path readableByAll(Path jar) {
    try {
      Path directory = Files.createTempDirectory("poolscope-cli",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      directory.toFile().deleteOnExit();
      Path copy = Files.copy(jar, directory.resolve(jar.getFileName()));
      copy.toFile().deleteOnExit();
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Result launch(List<String> prefix, Path jar, String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    String name = "cli-" + (args.length == 0 ? "help" : args[0]) + "-" + SEQUENCE.incrementAndGet();
    try {
      Files.createDirectories(ChildJvm.LOG_DIR);
      Path stdout = ChildJvm.LOG_DIR.resolve(name + ".out");
      Path stderr = ChildJvm.LOG_DIR.resolve(name + ".err");
      Process process = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", command) + " did not exit within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(List.copyOf(command), process.pid(), process.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
