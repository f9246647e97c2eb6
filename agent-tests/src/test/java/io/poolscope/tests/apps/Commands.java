package io.poolscope.tests.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The app side of the test's {@code ControlDir}: commands arrive as empty files {@code NNN-verb},
 * taken in name order; each is acknowledged with {@code NNN-verb done at=EPOCH_MS} on stdout.
 */
final class Commands {

  /** With no command for this long the test is gone: exit rather than linger. */
  private static final long IDLE_LIMIT_MILLIS = 60_000;

  private final Path dir;

  Commands(String dir) {
    this.dir = Paths.get(dir);
  }

  /** Waits for the next command and returns its file name. */
  String next() throws IOException {
    long deadline = System.currentTimeMillis() + IDLE_LIMIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      Optional<Path> first;
      try (Stream<Path> files = Files.list(dir)) {
        first = files.sorted().findFirst();
      }
      if (first.isPresent()) {
        Files.delete(first.get());
        return first.get().getFileName().toString();
      }
      AppMain.sleep(20);
    }
    throw new IllegalStateException("no command within " + IDLE_LIMIT_MILLIS + " ms");
  }

  static String verb(String command) {
    return command.substring(command.indexOf('-') + 1);
  }

  static void done(String command) {
    System.out.println(command + " done at=" + System.currentTimeMillis());
  }

  /**
   * Prints {@code READY at=EPOCH_MS} and stays alive until the test says {@code exit}: the test
   * reads the agent's periodic exports meanwhile, rather than relying on the flush at JVM exit.
   */
  static void readyUntilExit(String dir) throws IOException {
    System.out.println("READY at=" + System.currentTimeMillis());
    Commands commands = new Commands(dir);
    String command = commands.next();
    if (!verb(command).equals("exit")) {
      throw new IllegalArgumentException("only exit is understood here, got " + command);
    }
    done(command);
  }
}
