package io.poolscope.tests.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    List<String> command = new ArrayList<>();
    command.add(env.java().toString());
    command.addAll(jvmOptions);
    command.addAll(variant.jvmArgs(env));
    command.add("-cp");
    command.add(env.classPath());
    command.add(main.getName());
    command.addAll(List.of(args));
    return run(env, main.getSimpleName() + "-" + variant, command, timeout);
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
