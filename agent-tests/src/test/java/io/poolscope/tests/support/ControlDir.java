package io.poolscope.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * Commands to a long-running child app (see {@code apps.Commands}): empty files named
 * {@code 001-close}, {@code 002-exit}, ... in a directory the app polls. Creating an empty file is
 * atomic, so the app never reads half a command; the number keeps them in order.
 */
public final class ControlDir {

  /** Generous: the app polls every 20 ms, but a pool's close may wait for its threads. */
  public static final Duration ACK_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private int sequence;

  private ControlDir(Path dir) {
    this.dir = dir;
  }

  public static ControlDir create() {
    try {
      Path parent = Paths.get("target", "child-jvms");
      Files.createDirectories(parent);
      return new ControlDir(Files.createTempDirectory(parent, "control-").toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The app argument that points it here. */
  public String arg() {
    return "control=" + dir;
  }

  /** The directory itself, for apps that take it as a plain argument. */
  public String dir() {
    return dir.toString();
  }

  /**
   * Sends {@code command} and waits for the app's {@code NNN-command done at=EPOCH_MS} line.
   *
   * @return when the app had carried it out (epoch ms, the app's clock: same machine)
   */
  public long command(ChildJvm child, String command) {
    String name;
    synchronized (this) {
      name = String.format("%03d-%s", ++sequence, command);
    }
    try {
      Files.createFile(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return epochMillis(child.awaitStdoutLine(name + " done at=", ACK_TIMEOUT));
  }

  /** The {@code at=EPOCH_MS} at the end of an app's line. */
  public static long epochMillis(String line) {
    return Long.parseLong(line.substring(line.lastIndexOf("at=") + 3).trim());
  }
}
