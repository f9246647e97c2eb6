package io.poolscope.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * Where the shaded agent jar is: {@code -Dpoolscope.agent.jar}, set by the pom to
 * {@code ../agent/target/poolscope-agent.jar}, which is also the fallback for runs from an IDE.
 */
public final class AgentJar {

  public static final String PROPERTY = "poolscope.agent.jar";

  private AgentJar() {}

  /** Checked on every call (a few hundred file stats): a rebuild mid-run shows up at once. */
  public static Path path() {
    String configured = System.getProperty(PROPERTY);
    Path jar = (configured != null && !configured.isBlank()
        ? Paths.get(configured)
        : Paths.get("..", "agent", "target", "poolscope-agent.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("poolscope agent jar not found at " + jar
          + ": build it first (mvn verify from the root, or mvn -pl agent package),"
          + " or point -D" + PROPERTY + " at it");
    }
    failIfStale(jar);
    return jar;
  }

  /**
   * {@code mvn test} from the root compiles the agent but does not repackage the shaded jar, so
   * these tests would silently run yesterday's agent: refuse when classes beside it are newer.
   */
  private static void failIfStale(Path jar) {
    Path classes = jar.resolveSibling("classes");
    if (!Files.isDirectory(classes)) {
      return;
    }
    try (Stream<Path> files = Files.walk(classes)) {
      FileTime jarTime = Files.getLastModifiedTime(jar);
      Path newer = files.filter(f -> f.toString().endsWith(".class"))
          .filter(f -> lastModified(f).compareTo(jarTime) > 0)
          .findFirst().orElse(null);
      if (newer != null) {
        throw new IllegalStateException("stale agent jar " + jar + ": " + newer
            + " is newer. Rebuild it (mvn verify from the root, or mvn -pl agent package)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
