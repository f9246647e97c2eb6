package io.poolscope.tests.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one measured child JVM to its end: wall time as seen from here, and, through GNU time where
 * the machine has it, CPU time and peak RSS of the whole process lifetime, exit included. Output goes
 * to files under {@code logs/}, kept for a post-mortem.
 */
final class Launch {

  private static final Path GNU_TIME = Paths.get("/usr/bin/time");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** A finished child. CPU and peak RSS are -1 where GNU time is missing. */
  record Result(
      String name, String stdout, long launchedAtMillis, long wallNanos, long cpuMillis,
      long peakRssKib) {

    /** The value of {@code key=} on the first stdout line starting with {@code prefix}. */
    String value(String prefix, String key) {
      for (String line : stdout.split("\n")) {
        if (line.startsWith(prefix)) {
          for (String token : line.split(" ")) {
            if (token.startsWith(key + "=")) {
              return token.substring(key.length() + 1);
            }
          }
        }
      }
      throw new IllegalStateException(name + " printed no " + prefix + " ... " + key + "=: " + stdout);
    }

    double number(String prefix, String key) {
      return Double.parseDouble(value(prefix, key));
    }
  }

  private Launch() {}

  /** {@code java <jvmOptions> <variant flags> -cp <apps> main args}, run to completion. */
  static Result java(
      BenchEnv env, Variant variant, List<String> jvmOptions, Class<?> main, Duration timeout,
      String... args) {
    return run(env, main.getSimpleName() + "-" + variant, command(env, variant, jvmOptions, main, args),
        timeout);
  }

  /**
   * A child that stays up and answers requests: one line written to its stdin, one line read back
   * from its stdout. Its stderr goes to a file under {@code logs/}; closing its stdin ends it.
   */
  static final class Live implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Writer requests;
    private final BufferedReader replies;

    private Live(String name, Process process) {
      this.name = name;
      this.process = process;
      this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    long pid() {
      return process.pid();
    }

    /** The first line starting with {@code prefix}, skipping whatever else the child prints. */
    String await(String prefix) throws IOException {
      for (String line = replies.readLine(); line != null; line = replies.readLine()) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      throw new IllegalStateException(name + " ended before printing " + prefix + "; see its .err log");
    }

    Result request(String line, String replyPrefix) throws IOException {
      requests.write(line + "\n");
      requests.flush();
      long start = System.nanoTime();
      String reply = await(replyPrefix);
      return new Result(name, reply, System.currentTimeMillis(), System.nanoTime() - start, -1, -1);
    }

    @Override
    public void close() throws IOException, InterruptedException {
      requests.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Starts {@code java <jvmOptions> <variant flags> -cp <apps> main args} as a {@link Live} child. */
  static Live live(BenchEnv env, Variant variant, List<String> jvmOptions, Class<?> main, String... args)
      throws IOException {
    String name = main.getSimpleName() + "-" + variant + "-" + SEQUENCE.incrementAndGet();
    Files.createDirectories(env.logs());
    Process process = new ProcessBuilder(command(env, variant, jvmOptions, main, args))
        .redirectError(env.logs().resolve(name + ".err").toFile())
        .start();
    return new Live(name, process);
  }

  private static List<String> command(
      BenchEnv env, Variant variant, List<String> jvmOptions, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(env.java().toString());
    command.addAll(jvmOptions);
    command.addAll(variant.jvmArgs(env));
    command.add("-cp");
    command.add(env.classPath());
    command.add(main.getName());
    command.addAll(List.of(args));
    return command;
  }

  private static Result run(BenchEnv env, String label, List<String> javaCommand, Duration timeout) {
    String name = label + "-" + SEQUENCE.incrementAndGet();
    try {
      Files.createDirectories(env.logs());
      Path out = env.logs().resolve(name + ".out");
      Path err = env.logs().resolve(name + ".err");
      Path times = env.logs().resolve(name + ".time");
      List<String> command = new ArrayList<>();
      boolean timed = Files.isExecutable(GNU_TIME);
      if (timed) {
        // elapsed, user, system seconds and max RSS in KiB, last line of the file
        command.addAll(List.of(GNU_TIME.toString(), "-f", "%e %U %S %M", "-o", times.toString()));
      }
      command.addAll(javaCommand);
      long launchedAt = System.currentTimeMillis();
      long start = System.nanoTime();
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + err);
      }
      long wall = System.nanoTime() - start;
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(name + " exited " + process.exitValue() + ": "
            + String.join(" ", javaCommand) + "\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      long cpu = -1;
      long rss = -1;
      if (timed) {
        List<String> lines = Files.readAllLines(times, StandardCharsets.UTF_8);
        String[] fields = lines.get(lines.size() - 1).trim().split(" ");
        cpu = Math.round((Double.parseDouble(fields[1]) + Double.parseDouble(fields[2])) * 1000);
        rss = Long.parseLong(fields[3]);
      }
      return new Result(name, stdout, launchedAt, wall, cpu, rss);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + name, e);
    }
  }
}
