package io.poolscope.agent.entry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapInjectorTest {

  private static final long NOW = TimeUnit.DAYS.toMillis(20_000);
  private static final String CURRENT = "bootstrap-1a2b3c-3400000.jar";

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
