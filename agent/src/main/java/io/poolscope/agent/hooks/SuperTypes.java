package io.poolscope.agent.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Which of the JDBC interfaces a type implements, told by names only, so matching never loads an app
 * class: an app type's class file is read from its loader (header only), a JDK type is asked by
 * reflection (no class file read: opening the JDK's image costs a startup milliseconds). One instance
 * per class being transformed; the answers are kept for the next, per loader: a library's classes
 * share their base classes, whose class files would otherwise be read again and again.
 */
final class SuperTypes {

  static final int CONNECTION = 1;
  static final int DATA_SOURCE = 1 << 1;
  static final int DRIVER = 1 << 2;
  /**
   * Statements, metadata and pooled connections: their getConnection hands out the connection they
   * belong to or hold, never a checkout.
   */
  static final int CONNECTION_HOLDER = 1 << 3;

  private static final Map<String, Integer> TARGETS =
      Map.of("java/sql/Connection", CONNECTION, "javax/sql/DataSource", DATA_SOURCE,
          "java/sql/Driver", DRIVER, "java/sql/Statement", CONNECTION_HOLDER,
          "java/sql/DatabaseMetaData", CONNECTION_HOLDER, "javax/sql/PooledConnection",
          CONNECTION_HOLDER);
  private static final Map<String, Integer> JDK_TYPES = new ConcurrentHashMap<>();
  private static final ClassLoader JDK = ClassLoader.getPlatformClassLoader();
  /** Weak keys: no loader is kept alive by its entry. */
  private static final Map<ClassLoader, Map<String, Integer>> APP_TYPES =
      Collections.synchronizedMap(new WeakHashMap<>());
  /** Past this many types a loader's answers start over: memory stays bounded. */
  private static final int MAX_TYPES_PER_LOADER = 10_000;

  private final ClassLoader loader;
  private final Map<String, Integer> resolved;
  /** Types being resolved for this class: a broken hierarchy that cycles ends here. */
  private final Set<String> resolving = new HashSet<>();

  SuperTypes(ClassLoader loader) {
    this.loader = loader;
    this.resolved = APP_TYPES.computeIfAbsent(loader, any -> new ConcurrentHashMap<>());
  }

  /** The interfaces (bits of this class) a class implements, from its super class and interfaces. */
  int of(ClassReader type) {
    int found = of(type.getSuperName());
    for (String implemented : type.getInterfaces()) {
      found |= of(implemented);
    }
    return found;
  }

  /** The interfaces the type named so implements, or is; 0 if it cannot be found. */
  int of(String internalName) {
    if (internalName == null || internalName.equals("java/lang/Object")) {
      return 0;
    }
    Integer known = TARGETS.get(internalName);
    if (known == null) {
      known = resolved.get(internalName);
    }
    if (known == null) {
      if (!resolving.add(internalName)) {
        return 0;
      }
      known = resolve(internalName);
      resolving.remove(internalName);
      if (resolved.size() >= MAX_TYPES_PER_LOADER) {
        resolved.clear();
      }
      resolved.put(internalName, known);
    }
    return known;
  }

  private int resolve(String internalName) {
    if (internalName.startsWith("java/") || internalName.startsWith("javax/")) {
      Integer jdk = JDK_TYPES.computeIfAbsent(internalName, SuperTypes::ofJdkType);
      if (jdk >= 0) {
        return jdk;
      }
    }
    try (InputStream in = loader == null ? null : loader.getResourceAsStream(internalName + ".class")) {
      return in == null ? 0 : of(new ClassReader(in.readAllBytes()));
    } catch (IOException | RuntimeException e) { // unreadable, or not a class file
      return 0;
    }
  }

  /** -1: not a JDK type (an app may bring its own {@code javax} packages). */
  private static int ofJdkType(String internalName) {
    try {
      return of(Class.forName(internalName.replace('/', '.'), false, JDK));
    } catch (ClassNotFoundException | LinkageError e) {
      return -1;
    }
  }

  /** The interfaces a loaded class implements, or is. */
  static int of(Class<?> type) throws ClassNotFoundException {
    int found = 0;
    for (Map.Entry<String, Integer> target : TARGETS.entrySet()) {
      if (Class.forName(target.getKey().replace('/', '.'), false, JDK).isAssignableFrom(type)) {
        found |= target.getValue();
      }
    }
    return found;
  }
}
