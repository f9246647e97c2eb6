package io.poolscope.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * A Spring Boot executable jar laid out as the Spring Boot Maven plugin does, without the plugin:
 * Spring Boot's launcher classes at the root, the app's classes in {@code BOOT-INF/classes/}, its
 * libraries as nested jars in {@code BOOT-INF/lib/} (stored uncompressed, as the launcher requires),
 * and a manifest naming {@code JarLauncher} and the app's {@code Start-Class}.
 */
public final class BootJar {

  private static final String LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

  private BootJar() {}

  /**
   * @param startClass copied with its nested classes into {@code BOOT-INF/classes/}
   * @param libraries classes whose jars (from the test classpath) become {@code BOOT-INF/lib/}
   */
  public static Path build(Path jar, Class<?> startClass, List<Class<?>> libraries) {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, LAUNCHER);
    main.putValue("Start-Class", startClass.getName());
    main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
    main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      copyLauncher(out);
      directory(out, "BOOT-INF/");
      directory(out, "BOOT-INF/classes/");
      Path classDir = location(startClass);
      String packagePath = startClass.getPackageName().replace('.', '/');
      String prefix = "BOOT-INF/classes/";
      for (String part : packagePath.split("/")) {
        prefix += part + "/";
        directory(out, prefix);
      }
      try (Stream<Path> files = Files.list(classDir.resolve(packagePath))) {
        for (Path file : files.filter(f -> isClassOf(f, startClass)).sorted().toList()) {
          deflated(out, prefix + file.getFileName(), Files.readAllBytes(file));
        }
      }
      directory(out, "BOOT-INF/lib/");
      for (Class<?> library : libraries) {
        Path libraryJar = location(library);
        stored(out, "BOOT-INF/lib/" + libraryJar.getFileName(), Files.readAllBytes(libraryJar));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  /** Every entry of spring-boot-loader's jar except its own manifest and META-INF files. */
  private static void copyLauncher(JarOutputStream out) throws IOException {
    Path loader = location(classNamed(LAUNCHER));
    try (JarFile source = new JarFile(loader.toFile())) {
      for (JarEntry entry : source.stream().toList()) {
        if (entry.getName().startsWith("META-INF/")) {
          continue;
        }
        if (entry.isDirectory()) {
          directory(out, entry.getName());
          continue;
        }
        try (InputStream in = source.getInputStream(entry)) {
          deflated(out, entry.getName(), in.readAllBytes());
        }
      }
    }
  }

  private static boolean isClassOf(Path file, Class<?> type) {
    String name = file.getFileName().toString();
    return name.equals(type.getSimpleName() + ".class")
        || (name.startsWith(type.getSimpleName() + "$") && name.endsWith(".class"));
  }

  private static void directory(JarOutputStream out, String name) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.closeEntry();
  }

  private static void deflated(JarOutputStream out, String name, byte[] bytes) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(bytes);
    out.closeEntry();
  }

  /** Nested jars must be STORED: the launcher reads them in place, without inflating. */
  private static void stored(JarOutputStream out, String name, byte[] bytes) throws IOException {
    JarEntry entry = new JarEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    entry.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    out.putNextEntry(entry);
    out.write(bytes);
    out.closeEntry();
  }

  /** The jar or class directory a class was loaded from in the test JVM. */
  private static Path location(Class<?> type) {
    try {
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> classNamed(String name) {
    try {
      return Class.forName(name, false, BootJar.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name + " is not on the test classpath (spring-boot-loader)", e);
    }
  }
}
