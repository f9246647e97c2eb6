package io.poolscope.tests.bench;

import io.poolscope.tests.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What every section needs: the two agent jars, the sink they export to, the classpath of the
 * measured apps (the test classpath without the agent module: the agent comes only through
 * {@code -javaagent}), where logs go, and whether this is the short pass.
 */
record BenchEnv(
    Path poolscopeJar, Path otelJar, String sinkEndpoint, String classPath, Path dir, boolean quick) {

  static BenchEnv fromSystemProperties(String sinkEndpoint) {
    Path poolscope = existing(System.getProperty("poolscope.agent.jar"));
    Path otel = existing(System.getProperty("bench.otel.agent.jar"));
    Path dir = Paths.get(System.getProperty("bench.dir", "target/bench")).toAbsolutePath();
    return new BenchEnv(
        poolscope, otel, sinkEndpoint, ChildJvm.appClassPath(), dir, Boolean.getBoolean("bench.quick"));
  }

  Path java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java");
  }

  Path logs() {
    return dir.resolve("logs");
  }

  private static Path existing(String file) {
    if (file == null || !Files.isRegularFile(Paths.get(file))) {
      throw new IllegalStateException("missing jar " + file + ": run through the bench profile");
    }
    return Paths.get(file).toAbsolutePath();
  }
}
