package io.poolscope.tests.apps;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * An app that ships its own Byte Buddy (another version than the agent's relocated copy) and
 * generates a class with it at run time, as Hibernate or Mockito do, then checks connections out of
 * a HikariCP pool. Byte Buddy is not on the test classpath, so the app loads the given jar itself
 * and drives it by reflection.
 *
 * <p>Args: JDBC URL, path of a byte-buddy jar. Prints
 * {@code DONE generated=<toString of the generated object> from=<jar file name> checkouts=20}.
 */
public final class OwnByteBuddyApp {

  public static final String POOL = "own-bytebuddy-pool";
  static final int CHECKOUTS = 20;

  public static void main(String[] args) {
    AppMain.run(() -> run(args[0], args[1]));
  }

  private static void run(String url, String byteBuddyJar) throws Exception {
    URL jar = Paths.get(byteBuddyJar).toUri().toURL();
    String generated;
    String from;
    try (URLClassLoader appLibs = new URLClassLoader(new URL[] {jar},
        OwnByteBuddyApp.class.getClassLoader())) {
      Class<?> byteBuddy = appLibs.loadClass("net.bytebuddy.ByteBuddy");
      from = Paths.get(byteBuddy.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getFileName().toString();
      generated = generateToString(appLibs, byteBuddy, "made by the app's own Byte Buddy");
    }
    int checkouts = 0;
    try (Pools.Pool pool = Pools.create("hikari", url, 2, POOL)) {
      DataSource dataSource = pool.dataSource();
      for (int i = 0; i < CHECKOUTS; i++) {
        try (Connection connection = dataSource.getConnection()) {
          AppMain.selectOne(connection);
          checkouts++;
        }
      }
      AppMain.sleep(600);
    }
    System.out.println("DONE generated=" + generated + " from=" + from + " checkouts=" + checkouts);
  }

  /**
   * {@code new ByteBuddy().subclass(Object.class).method(named("toString"))
   * .intercept(FixedValue.value(text)).make().load(loader).getLoaded()}, by reflection on Byte
   * Buddy's public interfaces.
   */
  private static String generateToString(ClassLoader libs, Class<?> byteBuddy, String text)
      throws Exception {
    Class<?> builderType = libs.loadClass("net.bytebuddy.dynamic.DynamicType$Builder");
    Class<?> matcherType = libs.loadClass("net.bytebuddy.matcher.ElementMatcher");
    Class<?> implementationDefinition = libs.loadClass(
        "net.bytebuddy.dynamic.DynamicType$Builder$MethodDefinition$ImplementationDefinition");
    Class<?> implementationType = libs.loadClass("net.bytebuddy.implementation.Implementation");
    Class<?> unloadedType = libs.loadClass("net.bytebuddy.dynamic.DynamicType$Unloaded");
    Class<?> loadedType = libs.loadClass("net.bytebuddy.dynamic.DynamicType$Loaded");

    Object builder = byteBuddy.getMethod("subclass", Class.class)
        .invoke(byteBuddy.getConstructor().newInstance(), Object.class);
    Object named = libs.loadClass("net.bytebuddy.matcher.ElementMatchers")
        .getMethod("named", String.class).invoke(null, "toString");
    Object definition = builderType.getMethod("method", matcherType).invoke(builder, named);
    Object fixed = libs.loadClass("net.bytebuddy.implementation.FixedValue")
        .getMethod("value", Object.class).invoke(null, text);
    Object intercepted =
        implementationDefinition.getMethod("intercept", implementationType).invoke(definition, fixed);
    Object unloaded = builderType.getMethod("make").invoke(intercepted);
    Object loaded = unloadedType.getMethod("load", ClassLoader.class)
        .invoke(unloaded, OwnByteBuddyApp.class.getClassLoader());
    Class<?> type = (Class<?>) loadedType.getMethod("getLoaded").invoke(loaded);
    return type.getConstructor().newInstance().toString();
  }
}
