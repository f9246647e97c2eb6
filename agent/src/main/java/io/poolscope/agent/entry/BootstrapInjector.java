package io.poolscope.agent.entry;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the hook classes the advice calls into the bootstrap class loader, where classes of every
 * loader (even an isolated one with no parent) can see them. Only that tiny package goes there; the
 * SDK, Byte Buddy and the tracking core stay in the agent jar under relocated names.
 */
final class BootstrapInjector {

  static final String PACKAGE_PATH = "io/poolscope/agent/bootstrap/";

  private BootstrapInjector() {}

  /** Must run before anything loads a bootstrap-package class from the agent jar. */
  static void inject(Instrumentation instrumentation, File agentJar) throws IOException {
    File bootstrapJar = File.createTempFile("poolscope-bootstrap", ".jar");
    bootstrapJar.deleteOnExit();
    try (JarFile source = new JarFile(agentJar);
        OutputStream file = Files.newOutputStream(bootstrapJar.toPath());
        JarOutputStream target = new JarOutputStream(file)) {
      for (Enumeration<JarEntry> entries = source.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        if (entry.getName().startsWith(PACKAGE_PATH) && entry.getName().endsWith(".class")) {
          target.putNextEntry(new JarEntry(entry.getName()));
          try (InputStream in = source.getInputStream(entry)) {
            in.transferTo(target);
          }
          target.closeEntry();
        }
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar));
  }
}
