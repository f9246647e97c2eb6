package io.poolscope.agent.entry;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * Puts the hook classes the advice calls into the bootstrap class loader, where classes of every
 * loader (even an isolated one with no parent) can see them, together with the relocated Byte Buddy
 * that inlines the advice. The SDK and the tracking core stay in the agent jar, under relocated names.
 */
final class BootstrapInjector {

  /**
   * A jar inside the agent jar, made by the build: the hook classes and the relocated Byte Buddy.
   * Byte Buddy goes there too because the bootstrap loader loads classes several times faster than
   * the app's class loader, which matters for the hundreds it takes to instrument the first class.
   */
  static final String BOOTSTRAP_JAR = "META-INF/poolscope/bootstrap.jar";

  private BootstrapInjector() {}

  /** Must run before anything loads a bootstrap-package class from the agent jar. */
  static void inject(Instrumentation instrumentation, File agentJar) throws IOException {
    Path bootstrapJar = newFile();
    bootstrapJar.toFile().deleteOnExit();
    try (JarFile source = new JarFile(agentJar);
        InputStream in = source.getInputStream(source.getEntry(BOOTSTRAP_JAR));
        OutputStream file = Files.newOutputStream(bootstrapJar)) {
      byte[] buffer = new byte[1 << 18]; // a few MB: a few large writes, not hundreds of small ones
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        file.write(buffer, 0, n);
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar.toFile()));
  }

  /**
   * A new file of our own in the temp directory. Named by the clock rather than by {@code
   * File.createTempFile}, whose random name costs the startup a seeded SecureRandom (and the pid, a
   * process reaper thread pool); created exclusively, so nobody else's file is ever used.
   */
  private static Path newFile() throws IOException {
    Path file =
        Path.of(System.getProperty("java.io.tmpdir"),
            "poolscope-bootstrap-" + Long.toHexString(System.nanoTime()) + ".jar");
    try {
      return Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return File.createTempFile("poolscope-bootstrap", ".jar").toPath();
    }
  }
}
