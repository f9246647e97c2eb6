package io.poolscope.tests.apps;

import java.io.File;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads every class of the class path's jars whose names start with one of the given prefixes, as an
 * app's startup loads its libraries: every class passes the agent's transformer. Args: {@code load}
 * (load only: the startup benchmark) or {@code link} (also link, which verifies the bytecode: any class
 * the agent wove badly fails with a {@link VerifyError}), then the prefixes.
 *
 * <p>Prints {@code LIBRARIES loaded=<n> failed=<n> verifyErrors=<n>}, and {@code VERIFY <class>: <error>}
 * for each verify error.
 */
public final class LibrariesApp {

  public static void main(String[] args) throws Exception {
    boolean link = args[0].equals("link");
    int loaded = 0;
    int failed = 0; // classes of optional dependencies that are not on the class path
    int verifyErrors = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!wanted(new File(entry).getName(), args)) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        for (Enumeration<JarEntry> it = jar.entries(); it.hasMoreElements(); ) {
          String name = it.nextElement().getName();
          if (!name.endsWith(".class") || name.endsWith("module-info.class")
              || name.startsWith("META-INF/")) {
            continue;
          }
          String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
          try {
            Class<?> type = Class.forName(className, false, LibrariesApp.class.getClassLoader());
            if (link) {
              type.getDeclaredMethods(); // links the class: the verifier checks every method
            }
            loaded++;
          } catch (VerifyError | ClassFormatError e) {
            verifyErrors++;
            System.out.println("VERIFY " + className + ": " + e);
          } catch (ClassNotFoundException | LinkageError e) {
            failed++;
          }
        }
      }
    }
    System.out.println(
        "LIBRARIES loaded=" + loaded + " failed=" + failed + " verifyErrors=" + verifyErrors);
  }

  private static boolean wanted(String jarName, String[] prefixes) {
    for (int i = 1; i < prefixes.length; i++) {
      if (jarName.startsWith(prefixes[i]) && jarName.endsWith(".jar")) {
        return true;
      }
    }
    return false;
  }
}
