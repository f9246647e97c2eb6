package io.poolscope.agent.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapInjectorTest {

  private static final long NOW = TimeUnit.DAYS.toMillis(20_000);
  private static final String CURRENT = "bootstrap-1a2b3c-3400000.jar";

  /** The agent's classes found first in a copy on the class path: its jar has no bootstrap jar. */
  @Test
  void saysWhyWhenTheAgentsClassesCameFromAnotherJar(@TempDir Path directory) throws IOException {
    Path unshaded = directory.resolve("poolscope-agent-0.1.0.jar");
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(unshaded))) {
      jar.putNextEntry(new JarEntry("io/poolscope/agent/entry/Installer.class"));
    }

    IOException thrown =
        assertThrows(IOException.class, () -> BootstrapInjector.inject(null, unshaded.toFile()));

    assertEquals("poolscope's classes were loaded from " + unshaded + ", which is not the agent jar:"
        + " remove poolscope from the application's class path, -javaagent is enough",
        thrown.getMessage());
  }

  @Test
  void removesOnlyOurJarsOfOtherBuildsLongUnused(@TempDir Path directory) throws IOException {
    Path current = file(directory, CURRENT, TimeUnit.DAYS.toMillis(30));
    Path oldBuild = file(directory, "bootstrap-9f8e7d-3300000.jar", TimeUnit.HOURS.toMillis(2));
    Path recentBuild = file(directory, "bootstrap-4d5e6f-3350000.jar", TimeUnit.MINUTES.toMillis(5));
    Path unrelated = file(directory, "notes.jar", TimeUnit.DAYS.toMillis(30));

    BootstrapInjector.pruneOtherBuilds(directory, CURRENT, NOW);

    assertFalse(Files.exists(oldBuild, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(recentBuild));
    assertTrue(Files.exists(current));
    assertTrue(Files.exists(unrelated));
  }

  @Test
  void leavesLinksAndWhatTheyPointTo(@TempDir Path directory) throws IOException {
    Path target = file(directory, "elsewhere.jar", TimeUnit.DAYS.toMillis(30));
    Path link = Files.createSymbolicLink(directory.resolve("bootstrap-0-1.jar"), target);

    BootstrapInjector.pruneOtherBuilds(directory, CURRENT, NOW);

    assertTrue(Files.isSymbolicLink(link));
    assertTrue(Files.exists(target));
  }

  private static Path file(Path directory, String name, long age) throws IOException {
    Path file = Files.createFile(directory.resolve(name));
    Files.setLastModifiedTime(file, FileTime.fromMillis(NOW - age));
    return file;
  }
}
