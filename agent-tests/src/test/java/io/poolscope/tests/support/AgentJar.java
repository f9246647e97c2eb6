package io.poolscope.tests.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the shaded agent jar is: set by the pom, with a fallback for runs from an IDE. */
public final class AgentJar {

  public static final String PROPERTY = "poolscope.agent.jar";

  private AgentJar() {}

  public static Path path() {
    String configured = System.getProperty(PROPERTY);
    Path jar = configured != null && !configured.isBlank()
        ? Paths.get(configured)
        : Paths.get("..", "agent", "target", "poolscope-agent.jar");
    jar = jar.toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("poolscope agent jar not found at " + jar
          + ": build it first (mvn -pl agent package, or mvn verify from the root),"
          + " or point -D" + PROPERTY + " at it");
    }
    return jar;
  }
}
