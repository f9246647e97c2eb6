package io.poolscope.agent.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.poolscope.agent.bootstrap.JdbcHooks;
import io.poolscope.agent.bootstrap.JdbcListener;
import io.poolscope.samples.Caller;
import io.poolscope.samples.CovariantSource;
import io.poolscope.samples.SampleDriver;
import io.poolscope.samples.SampleFinalSource;
import io.poolscope.samples.SamplePool;
import io.poolscope.samples.SampleSource;
import io.poolscope.samples.SampleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Driver;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transformer on its own, without an agent: class bytes in, woven class bytes out. The sample
 * classes live outside {@code io.poolscope.agent}, which the transformer leaves alone.
 */
class AdviceTransformerTest {

  private final AdviceTransformer transformer =
      JdbcInstrumentation.transformer(null, JdbcHooks.class.getModule(), true);
  private final List<String> calls = new ArrayList<>();

  @AfterEach
  void uninstall() {
    JdbcHooks.install(JdbcListener.NOOP);
  }

  @Test
  void weavesTheHookCallsIntoADriversConnect() throws Exception {
    byte[] woven = transform(SampleDriver.class);
    assertNotNull(woven);
    JdbcHooks.install(recording());

    Driver driver = (Driver) define(SampleDriver.class, woven).getConstructor().newInstance();
    assertNull(driver.connect("jdbc:sample:db", new Properties()));

    assertEquals(
        List.of(
            "enter jdbc:sample:db", "url jdbc:sample:db with jdbc:sample:db",
            "exit with jdbc:sample:db null"),
        calls);
  }

  @Test
  void handsWhatTheEnterReturnedToTheExit() throws Exception {
    assertGetConnectionWoven(SampleSource.class);
  }

  @Test
  void leavesAClassThatOnlyCallsTheMethodsAlone() throws IOException {
    assertNull(transform(Caller.class));
  }

  @Test
  void leavesAFinalClassThatIsNoDataSourceAlone() throws IOException {
    assertNull(transform(SamplePool.class));
  }

  @Test
  void leavesAStatementsGetConnectionAlone() throws IOException {
    assertNull(transform(SampleStatement.class));
  }

  @Test
  void weavesAFinalDataSource() throws Exception {
    assertGetConnectionWoven(SampleFinalSource.class);
  }

  /** The bridge javac adds only calls the narrowed method, which is woven: one checkout, not two. */
  @Test
  void leavesBridgeMethodsAlone() throws Exception {
    byte[] woven = transform(CovariantSource.class);
    assertNotNull(woven);
    JdbcHooks.install(recording());

    DataSource source = (DataSource) define(CovariantSource.class, woven).getConstructor().newInstance();
    assertEquals("covariant", source.getConnection().toString());

    assertEquals(
        List.of("getConnection enter", "getConnection exit with state of CovariantSource"), calls);
  }

  /** The woven class's getConnection calls the enter hook, then the exit with what the enter returned. */
  private void assertGetConnectionWoven(Class<?> type) throws Exception {
    byte[] woven = transform(type);
    assertNotNull(woven);
    JdbcHooks.install(recording());

    Object source = define(type, woven).getConstructor().newInstance();
    assertNull(source.getClass().getMethod("getConnection").invoke(source));

    assertEquals(
        List.of("getConnection enter", "getConnection exit with state of " + type.getSimpleName()),
        calls);
  }

  private byte[] transform(Class<?> type) throws IOException {
    return transformer.transform(type.getModule(), type.getClassLoader(),
        type.getName().replace('.', '/'), null, type.getProtectionDomain(), classFile(type));
  }

  private static Class<?> define(Class<?> type, byte[] classFile) throws ClassNotFoundException {
    return new ClassLoader(type.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        return name.equals(type.getName())
            ? defineClass(name, classFile, 0, classFile.length)
            : super.loadClass(name, resolve);
      }
    }.loadClass(type.getName());
  }

  /** The class file a type was loaded from. */
  static byte[] classFile(Class<?> type) throws IOException {
    String resource = type.getName().substring(type.getPackageName().length() + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  private JdbcListener recording() {
    return new JdbcListener() {
      @Override
      public Object getConnectionEnter(Object dataSource) {
        calls.add("getConnection enter");
        return "state of " + dataSource.getClass().getSimpleName();
      }

      @Override
      public void getConnectionExit(Object state, Object connection, Throwable thrown) {
        calls.add("getConnection exit with " + state);
      }

      @Override
      public void connectionClose(Object connection) {
        calls.add("close");
      }

      @Override
      public Object driverConnectEnter(String url) {
        calls.add("enter " + url);
        return url;
      }

      @Override
      public Properties driverConnectInfo(Object state, String url, Properties info) {
        return info;
      }

      @Override
      public String driverConnectUrl(Object state, String url) {
        calls.add("url " + url + " with " + state);
        return url;
      }

      @Override
      public void driverConnectExit(Object state, Object connection, Throwable thrown) {
        calls.add("exit with " + state + " " + connection);
      }
    };
  }
}
