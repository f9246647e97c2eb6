package io.poolscope.agent.entry;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the hook classes the advice calls into the bootstrap class loader, where classes of every
 * loader (even an isolated one with no parent) can see them, together with the relocated ASM that
 * weaves the calls. The SDK and the tracking core stay in the agent jar, under relocated names.
 */
final class BootstrapInjector {

  /**
   * A jar inside the agent jar, made by the build: the hook classes and the relocated ASM. ASM goes
   * there too because the bootstrap loader loads classes several times faster than the app's class
   * loader, and the first weave, on the app's thread, loads a few dozen of them.
   */
  static final String BOOTSTRAP_JAR = "META-INF/poolscope/bootstrap.jar";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  /** A cached jar no JVM started with for this long belongs to a build nobody runs any more. */
  static final long UNUSED_FOR_MILLIS = TimeUnit.HOURS.toMillis(1);

  private BootstrapInjector() {}

  /** Must run before anything loads a class of the bootstrap jar. */
  static void inject(Instrumentation instrumentation, File agentJar) throws IOException {
    Path bootstrapJar;
    try (JarFile source = new JarFile(agentJar)) {
      JarEntry entry = source.getJarEntry(BOOTSTRAP_JAR);
      if (entry == null) {
        // the agent's classes came from another jar first: an unshaded copy on the class path
        throw new IOException("poolscope's classes were loaded from " + agentJar + ", which is not the"
            + " agent jar: remove poolscope from the application's class path, -javaagent is enough");
      }
      Path cache = privateDirectory();
      bootstrapJar = cache != null ? cachedIn(cache, source, entry) : extractForThisProcess(source, entry);
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar.toFile()));
  }

  /**
   * The jar, extracted once per agent build by the first JVM that needs it: writing a few MB costs a
   * startup tens of milliseconds. Named by content (the entry's CRC and size in the agent jar); a JVM
   * that finds it extracted by another uses it as it is.
   */
  private static Path cachedIn(Path directory, JarFile source, JarEntry entry) throws IOException {
    Path jar = directory.resolve(
        "bootstrap-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize() + ".jar");
    if (Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS) && Files.size(jar) == entry.getSize()) {
      try {
        // "used now": another build's first JVM prunes only jars unused for a while
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis()));
        return jar;
      } catch (IOException e) {
        // deleted meanwhile, or not ours to touch: extract it afresh below
      }
    }
    try {
      Path partial = newFile(directory);
      copy(source, entry, partial);
      // atomic, so no JVM ever opens a half-written jar; one extracted meanwhile has the same bytes
      Path extracted = Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);
      pruneOtherBuilds(directory, jar.getFileName().toString(), System.currentTimeMillis());
      return extracted;
    } catch (IOException e) {
      return extractForThisProcess(source, entry);
    }
  }

  /**
   * Deletes the jars of other agent builds no JVM started with for {@link #UNUSED_FOR_MILLIS} (each
   * JVM that uses a cached jar touches it): else every upgrade leaves a few MB behind. Runs only when
   * a new build's jar was extracted. A running JVM keeps reading a deleted jar it has open. Only
   * regular files named as {@link #cachedIn} names them, links not followed; a file that cannot be
   * read or deleted stays (the directory is this user's alone, so nothing else is at risk).
   */
  static void pruneOtherBuilds(Path directory, String currentJar, long nowMillis) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "bootstrap-*.jar")) {
      for (Path file : files) {
        if (!file.getFileName().toString().equals(currentJar)) {
          deleteIfUnusedSince(file, nowMillis - UNUSED_FOR_MILLIS);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the files stay for the next new build to delete; the agent starts as it would have
    }
  }

  private static void deleteIfUnusedSince(Path file, long sinceMillis) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isRegularFile() && attributes.lastModifiedTime().toMillis() < sinceMillis) {
        Files.deleteIfExists(file); // another new build's JVM may have deleted it first
      }
    } catch (IOException e) {
      // gone meanwhile, or not deletable: the others are still tried
    }
  }

  /**
   * A directory for this user in the temp directory, only this user may write to: nobody else can put
   * classes into this JVM's bootstrap loader through it. Null if it cannot be made or trusted (owned
   * by another, writable by others, a link, a file system without POSIX permissions).
   */
  private static Path privateDirectory() {
    try {
      String user = System.getProperty("user.name");
      Path directory = Path.of(System.getProperty("java.io.tmpdir"), "poolscope-" + fileName(user));
      try {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (FileAlreadyExistsException existing) {
        // made by an earlier JVM (or someone else): checked below
      }
      boolean trusted =
          Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
              && Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)
              && Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).equals(
                  directory.getFileSystem().getUserPrincipalLookupService()
                      .lookupPrincipalByName(user));
      return trusted ? directory : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Letters, digits, {@code .-_} kept, anything else {@code _} (no regex: it costs the premain). */
  private static String fileName(String user) {
    StringBuilder name = new StringBuilder(user.length());
    for (char c : user.toCharArray()) {
      name.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_');
    }
    return name.toString();
  }

  /** A copy of the jar for this JVM alone, deleted at exit. */
  private static Path extractForThisProcess(JarFile source, JarEntry entry) throws IOException {
    Path jar = newFile(Path.of(System.getProperty("java.io.tmpdir")));
    jar.toFile().deleteOnExit();
    copy(source, entry, jar);
    return jar;
  }

  private static void copy(JarFile source, JarEntry entry, Path target) throws IOException {
    try (InputStream in = source.getInputStream(entry);
        OutputStream file = Files.newOutputStream(target)) {
      byte[] buffer = new byte[1 << 18]; // a few MB: a few large writes, not hundreds of small ones
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        file.write(buffer, 0, n);
      }
    }
  }

  /**
   * A new file of our own. Named by the clock rather than by {@code File.createTempFile}, whose
   * random name costs the startup a seeded SecureRandom (and the pid, a process reaper thread pool);
   * created exclusively, so nobody else's file is ever used.
   */
  private static Path newFile(Path directory) throws IOException {
    Path file =
        directory.resolve("poolscope-bootstrap-" + Long.toHexString(System.nanoTime()) + ".jar");
    try {
      return Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return File.createTempFile("poolscope-bootstrap", ".jar", directory.toFile()).toPath();
    }
  }
}
