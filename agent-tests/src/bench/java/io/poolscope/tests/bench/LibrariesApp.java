package io.poolscope.tests.bench;

import java.io.File;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The startup benchmark's larger app: loads (without initialising) every class of the class path's
 * jars whose names start with one of its arguments, as an app's startup loads its libraries. Every
 * class an app loads passes the agents' transformers, so this shows what they cost per class, which
 * the hello app (a few hundred classes) cannot.
 */
public final class LibrariesApp {

  public static void main(String[] jarPrefixes) throws Exception {
    int loaded = 0;
    int failed = 0; // classes of optional dependencies that are not on the class path
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!wanted(new File(entry).getName(), jarPrefixes)) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        for (Enumeration<JarEntry> it = jar.entries(); it.hasMoreElements(); ) {
          String name = it.nextElement().getName();
          if (!name.endsWith(".class") || name.endsWith("module-info.class")
              || name.startsWith("META-INF/")) {
            continue;
          }
          try {
            Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
                false, LibrariesApp.class.getClassLoader());
            loaded++;
          } catch (ClassNotFoundException | LinkageError e) {
            failed++;
          }
        }
      }
    }
    System.out.println("LIBRARIES loaded=" + loaded + " failed=" + failed);
  }

  private static boolean wanted(String jarName, String[] prefixes) {
    for (String prefix : prefixes) {
      if (jarName.startsWith(prefix) && jarName.endsWith(".jar")) {
        return true;
      }
    }
    return false;
  }
}
