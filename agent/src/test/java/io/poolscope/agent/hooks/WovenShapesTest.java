package io.poolscope.agent.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.agent.bootstrap.JdbcHooks;
import io.poolscope.agent.bootstrap.JdbcListener;
import io.poolscope.samples.shapes.AbstractSource;
import io.poolscope.samples.shapes.ConnectionBase;
import io.poolscope.samples.shapes.DefaultMethodSource;
import io.poolscope.samples.shapes.FailingSource;
import io.poolscope.samples.shapes.GuardedSource;
import io.poolscope.samples.shapes.LoopingConnection;
import io.poolscope.samples.shapes.NativeSource;
import io.poolscope.samples.shapes.OtherSignatures;
import io.poolscope.samples.shapes.RetryingSource;
import io.poolscope.samples.shapes.RoutingDriver;
import io.poolscope.samples.shapes.StaticFactory;
import io.poolscope.samples.shapes.StubConnection;
import io.poolscope.samples.shapes.WideLocalsSource;
import java.lang.instrument.ClassFileTransformer;
import java.lang.reflect.Constructor;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Weaves methods of awkward bytecode shapes, defines the woven class in a fresh class loader and
 * calls it. A class defined by a custom loader is verified by the JVM, so a broken weave shows as a
 * {@link VerifyError} (or a wrong result), not as silently wrong bytes. Every test asserts the exact
 * hook calls and the methods' own results and exceptions.
 *
 * <p>The samples live in {@code io.poolscope.samples.shapes}; a woven copy is in another runtime
 * package than the original, so the samples keep their members public. Woven objects are used
 * through the JDBC interfaces (loaded by the parent) and their fields read by reflection.
 */
class WovenShapesTest {

  private static final String SAMPLES = "io/poolscope/samples/shapes/";

  private final ClassFileTransformer transformer =
      JdbcInstrumentation.transformer(null, JdbcHooks.class.getModule(), true);
  private final Recording recording = new Recording(false);

  @AfterEach
  void uninstall() {
    JdbcHooks.install(JdbcListener.NOOP);
  }

  // --- 1. a loop at offset 0, returns from inside it ------------------------------------------

  /**
   * {@code for (;;)} as the first statement: offset 0 is the loop head, a branch target with a stack
   * map frame, so the enter advice goes in front of a frame (a weave that puts code after the frame,
   * or re-enters the advice at every iteration, shows in the calls or fails verification). Three
   * returns, two inside the loop: each must pass the exit advice exactly once.
   */
  @Test
  void forEverLoopAtOffsetZeroReturnsFromInsideTheLoop() throws Exception {
    assertTrue(startsWithAFrame(classFile(RetryingSource.class), "getConnection", "()Ljava/sql/Connection;"));
    Class<?> woven = weaveAndDefine(RetryingSource.class);
    StubConnection connection = new StubConnection("c1");
    DataSource twoFailures = (DataSource) create(woven, connection, 2);
    DataSource neverSucceeds = (DataSource) create(woven, connection, 9);
    JdbcHooks.install(recording);

    assertSame(connection, twoFailures.getConnection());
    assertNull(neverSucceeds.getConnection());

    assertEquals(3, field(twoFailures, "attempts"));
    assertEquals(5, field(neverSucceeds, "attempts"));
    assertEquals(
        List.of(
            "enter RetryingSource",
            "exit state1 c1 null",
            "enter RetryingSource",
            "exit state2 null null"),
        recording.calls);
  }

  /**
   * {@code while (attempts++ < failures)} as the first statement, in getConnection(String, String):
   * a return and a throw inside the loop body, a return after it.
   */
  @Test
  void whileLoopAtOffsetZeroReturnsAndThrowsFromInsideTheLoop() throws Exception {
    assertTrue(
        startsWithAFrame(
            classFile(RetryingSource.class),
            "getConnection",
            "(Ljava/lang/String;Ljava/lang/String;)Ljava/sql/Connection;"));
    Class<?> woven = weaveAndDefine(RetryingSource.class);
    StubConnection connection = new StubConnection("c1");
    DataSource afterLoop = (DataSource) create(woven, connection, 2);
    DataSource returnsInLoop = (DataSource) create(woven, connection, 2);
    DataSource throwsInLoop = (DataSource) create(woven, connection, 2);
    JdbcHooks.install(recording);

    assertSame(connection, afterLoop.getConnection("app", "secret"));
    assertNull(returnsInLoop.getConnection(null, "secret"));
    SQLException thrown =
        assertThrows(SQLException.class, () -> throwsInLoop.getConnection("app", null));

    assertEquals("no password after 1 attempts", thrown.getMessage());
    assertSame(thrown, recording.lastThrown);
    assertEquals(3, field(afterLoop, "attempts"));
    assertEquals(1, field(returnsInLoop, "attempts"));
    assertEquals(
        List.of(
            "enter RetryingSource",
            "exit state1 c1 null",
            "enter RetryingSource",
            "exit state2 null null",
            "enter RetryingSource",
            "exit state3 null SQLException: no password after 1 attempts"),
        recording.calls);
  }

  // --- 2. getConnection that throws -------------------------------------------------------------

  /**
   * A checked SQLException thrown by the body: the exit advice's catch-all handler sees it, hands
   * it to the exit hook with a null connection, and rethrows the very same object.
   */
  @Test
  void checkedExceptionReachesTheExitHookAndTheCaller() throws Exception {
    SQLException refused = new SQLException("refused", "08004");
    DataSource source = (DataSource) create(weaveAndDefine(FailingSource.class), refused, null, null);
    JdbcHooks.install(recording);

    assertSame(refused, assertThrows(SQLException.class, source::getConnection));

    assertSame(refused, recording.lastThrown);
    assertEquals(
        List.of("enter FailingSource", "exit state1 null SQLException: refused"), recording.calls);
  }

  /** The same for an unchecked exception, which getConnection does not declare. */
  @Test
  void runtimeExceptionReachesTheExitHookAndTheCaller() throws Exception {
    IllegalStateException closed = new IllegalStateException("pool closed");
    DataSource source = (DataSource) create(weaveAndDefine(FailingSource.class), null, closed, null);
    JdbcHooks.install(recording);

    assertSame(closed, assertThrows(IllegalStateException.class, source::getConnection));

    assertSame(closed, recording.lastThrown);
    assertEquals(
        List.of("enter FailingSource", "exit state1 null IllegalStateException: pool closed"),
        recording.calls);
  }

  /**
   * Exceptions without an athrow in the body (a NullPointerException the JVM raises) and errors:
   * the exit handler covers every instruction of the body and catches any Throwable.
   */
  @Test
  void implicitExceptionsAndErrorsReachTheExitHookAndTheCaller() throws Exception {
    StubConnection connection = new StubConnection("c1");
    DataSource source =
        (DataSource) create(weaveAndDefine(FailingSource.class), null, null, connection);
    JdbcHooks.install(recording);

    NullPointerException npe =
        assertThrows(NullPointerException.class, () -> source.getConnection(null, "secret"));
    assertSame(npe, recording.lastThrown);
    AssertionError error = assertThrows(AssertionError.class, () -> source.getConnection("app", null));
    assertSame(error, recording.lastThrown);
    assertSame(connection, source.getConnection("app", "secret"));

    assertEquals(
        List.of(
            "enter FailingSource",
            "exit state1 null NullPointerException",
            "enter FailingSource",
            "exit state2 null AssertionError: no password for app",
            "enter FailingSource",
            "exit state3 c1 null"),
        recording.calls);
  }

  // --- 3. try/catch/finally, synchronized, two-slot locals ---------------------------------------

  /**
   * The normal path through try/finally inside a synchronized block, with long and double locals
   * before and after the branches: the woven method must verify and return what it did before.
   */
  @Test
  void tryFinallyInsideSynchronizedWithTwoSlotLocals() throws Exception {
    StubConnection connection = new StubConnection("c1");
    DataSource source = (DataSource) create(weaveAndDefine(GuardedSource.class), connection);
    JdbcHooks.install(recording);

    assertSame(connection, source.getConnection());
    assertSame(connection, source.getConnection());

    assertEquals(2L, field(source, "borrowed"));
    assertEquals(2L, field(source, "released"));
    assertEquals(0L, field(source, "failures"));
    // first call: share 1 * 0.5, ratio 1 * 0.5; second: share 2 * 0.5, ratio 1 * 0.5
    assertEquals(2.5, field(source, "load"));
    assertFalse(Thread.holdsLock(field(source, "lock")));
    assertEquals(
        List.of(
            "enter GuardedSource",
            "exit state1 c1 null",
            "enter GuardedSource",
            "exit state2 c1 null"),
        recording.calls);
  }

  /**
   * An exception thrown and caught inside the body is the method's own business: the method's
   * handlers come first in the exception table, so the exit hook sees a normal return (null).
   */
  @Test
  void exceptionCaughtInsideTheBodyIsNotSeenByTheExitHook() throws Exception {
    DataSource source =
        (DataSource) create(weaveAndDefine(GuardedSource.class), new StubConnection("c1"));
    setField(source, "fail", true);
    JdbcHooks.install(recording);

    assertNull(source.getConnection());

    assertEquals(0L, field(source, "borrowed"));
    assertEquals(1L, field(source, "failures"));
    assertEquals(1L, field(source, "released"));
    assertEquals(0.0, field(source, "load"));
    assertNull(recording.lastThrown);
    assertEquals(List.of("enter GuardedSource", "exit state1 null null"), recording.calls);
  }

  /**
   * Rethrown from the catch, through the finally and out of the synchronized block: the monitor is
   * released (the block's own catch-any handler ran), the exit hook gets the rethrown exception and
   * the next call works normally.
   */
  @Test
  void exceptionRethrownThroughFinallyAndMonitorReachesTheExitHook() throws Exception {
    StubConnection connection = new StubConnection("c1");
    DataSource source = (DataSource) create(weaveAndDefine(GuardedSource.class), connection);
    setField(source, "fail", true);
    setField(source, "rethrow", true);
    JdbcHooks.install(recording);

    SQLException thrown = assertThrows(SQLException.class, source::getConnection);
    assertEquals("gave up after 1 failure(s)", thrown.getMessage());
    assertEquals("pool exhausted", thrown.getCause().getMessage());
    assertSame(thrown, recording.lastThrown);
    assertFalse(Thread.holdsLock(field(source, "lock")));
    assertEquals(1L, field(source, "released"));

    setField(source, "fail", false);
    assertSame(connection, source.getConnection());

    assertEquals(
        List.of(
            "enter GuardedSource",
            "exit state1 null SQLException: gave up after 1 failure(s)",
            "enter GuardedSource",
            "exit state2 c1 null"),
        recording.calls);
  }

  /**
   * A synchronized method (the monitor held by the JVM around the whole woven body, advice
   * included), a while loop over a double, a try/catch that wraps: each call passes enter and exit
   * once, and the monitor is released after a normal and an exceptional return.
   */
  @Test
  void synchronizedMethodWithLoopOverDoubles() throws Exception {
    StubConnection connection = new StubConnection("c1");
    DataSource source = (DataSource) create(weaveAndDefine(GuardedSource.class), connection);
    JdbcHooks.install(recording);

    assertSame(connection, source.getConnection("app", "pw")); // budget 2: two tries
    assertEquals(true, field(source, "heldMonitor"));
    assertNull(source.getConnection("app", "p")); // budget 1: one try
    SQLException thrown =
        assertThrows(SQLException.class, () -> source.getConnection("flaky", "pw"));
    assertEquals("flaky after 2", thrown.getMessage());
    assertInstanceOf(IllegalStateException.class, thrown.getCause());
    assertSame(thrown, recording.lastThrown);
    assertFalse(Thread.holdsLock(source));
    assertEquals(4.5, field(source, "load")); // 2 * 1.5 + 1 * 1.5

    assertEquals(
        List.of(
            "enter GuardedSource",
            "exit state1 c1 null",
            "enter GuardedSource",
            "exit state2 null null",
            "enter GuardedSource",
            "exit state3 null SQLException: flaky after 2"),
        recording.calls);
  }

  // --- 4. more than 255 locals ----------------------------------------------------------------

  /**
   * 140 long locals in straight-line code: 280+ local slots, so the body uses {@code wide} loads and
   * stores and any local the weaver adds is past slot 255 (or shifts the method's own past it).
   * The method also reassigns a local and its user parameter before returning.
   */
  @Test
  void moreThan255LocalSlotsAndReassignedLocals() throws Exception {
    String descriptor = "(Ljava/lang/String;Ljava/lang/String;)Ljava/sql/Connection;";
    assertTrue(maxLocals(classFile(WideLocalsSource.class), "getConnection", descriptor) > 256);
    byte[] woven = weave(WideLocalsSource.class);
    assertTrue(maxLocals(woven, "getConnection", descriptor) > 256);
    StubConnection connection = new StubConnection("c1");
    DataSource source = (DataSource) create(define(WideLocalsSource.class.getName(), woven), connection);
    JdbcHooks.install(recording);

    assertSame(connection, source.getConnection("alice", "pw"));
    long aliceSum = 140 * 5 + 140 * 139 / 2;
    assertEquals(aliceSum, field(source, "lastSum"));
    assertEquals(aliceSum / 2.0, field(source, "lastHalf"));
    assertEquals("alice@pw even " + aliceSum / 2, field(source, "lastLogin"));

    SQLException thrown = assertThrows(SQLException.class, () -> source.getConnection("bob", ""));
    assertEquals("empty password for bob@", thrown.getMessage());
    assertSame(thrown, recording.lastThrown);
    long bobSum = 140 * 3 + 140 * 139 / 2;
    assertEquals(bobSum, field(source, "lastSum"));
    assertEquals("bob@ even " + bobSum / 2, field(source, "lastLogin"));

    assertEquals(
        List.of(
            "enter WideLocalsSource",
            "exit state1 c1 null",
            "enter WideLocalsSource",
            "exit state2 null SQLException: empty password for bob@"),
        recording.calls);
  }

  // --- 5. Connection.close and abort --------------------------------------------------------------

  /**
   * close() that starts with a loop (a frame at offset 0, before the enter advice's code): the close
   * hook runs once per call, before the body, with the connection itself, also when close throws.
   * Methods other than close and abort stay unwoven.
   */
  @Test
  void closeStartingWithALoopCallsTheHookOncePerCall() throws Exception {
    assertTrue(startsWithAFrame(classFile(LoopingConnection.class), "close", "()V"));
    Connection connection = (Connection) create(weaveAndDefine(LoopingConnection.class), 3);
    JdbcHooks.install(recording);

    connection.close();
    assertTrue(connection.isClosed());
    connection.close();
    setField(connection, "failNextClose", true);
    SQLException thrown = assertThrows(SQLException.class, connection::close);

    assertEquals("close failed", thrown.getMessage());
    assertSame(connection, recording.lastReceiver);
    assertEquals(3, field(connection, "drained"));
    assertEquals(0, field(connection, "pending"));
    assertEquals(3, field(connection, "closes"));
    assertEquals(
        List.of("close LoopingConnection", "close LoopingConnection", "close LoopingConnection"),
        recording.calls);
  }

  /**
   * abort(Executor) ends a checkout like close (a pool shutting down aborts what is still checked
   * out): it calls the close hook once per call, and its exceptions reach the caller unchanged.
   */
  @Test
  void abortThatThrowsCallsTheCloseHook() throws Exception {
    Connection connection = (Connection) create(weaveAndDefine(LoopingConnection.class), 0);
    Executor direct = Runnable::run;
    JdbcHooks.install(recording);

    SQLException noExecutor = assertThrows(SQLException.class, () -> connection.abort(null));
    assertEquals("abort needs an executor", noExecutor.getMessage());
    SQLFeatureNotSupportedException unsupported =
        assertThrows(SQLFeatureNotSupportedException.class, () -> connection.abort(direct));
    assertEquals("abort", unsupported.getMessage());

    assertSame(connection, recording.lastReceiver);
    assertEquals(2, field(connection, "aborts"));
    assertEquals(0, field(connection, "closes"));
    assertEquals(List.of("close LoopingConnection", "close LoopingConnection"), recording.calls);
  }

  // --- 6. Driver.connect ----------------------------------------------------------------------

  /**
   * A driver that returns null early for a foreign URL, connects to its own, and throws for a server
   * that is down: enter, url and exit hooks once per call, the exit with what the body returned or
   * threw.
   */
  @Test
  void driverConnectReturningEarlyConnectingAndThrowing() throws Exception {
    Driver driver = (Driver) create(weaveAndDefine(RoutingDriver.class));
    JdbcHooks.install(recording);

    assertNull(driver.connect("jdbc:other:db", user("app")));
    Connection connection = driver.connect("jdbc:shapes:db", user("app"));
    assertEquals("jdbc:shapes:db as app", connection.toString());
    SQLException down =
        assertThrows(SQLException.class, () -> driver.connect("jdbc:shapes:down", user("app")));
    assertEquals("server down: jdbc:shapes:down", down.getMessage());
    assertEquals("08001", down.getSQLState());
    assertSame(down, recording.lastThrown);

    assertEquals(
        List.of("jdbc:other:db app", "jdbc:shapes:db app", "jdbc:shapes:down app"),
        field(driver, "seen"));
    assertEquals(
        List.of(
            "connect jdbc:other:db",
            "info app",
            "url jdbc:other:db",
            "connected jdbc:other:db null null",
            "connect jdbc:shapes:db",
            "info app",
            "url jdbc:shapes:db",
            "connected jdbc:shapes:db jdbc:shapes:db as app null",
            "connect jdbc:shapes:down",
            "info app",
            "url jdbc:shapes:down",
            "connected jdbc:shapes:down null SQLException: server down: jdbc:shapes:down"),
        recording.calls);
  }

  /**
   * The enter hook may replace the properties and the url hook the URL (poolscope names the app's
   * connections): the body, including its early-return check, sees the replacements; the caller's
   * properties stay untouched. The exit hook gets the URL the driver connected to.
   */
  @Test
  void driverBodySeesTheUrlAndPropertiesTheHooksReplaced() throws Exception {
    Driver driver = (Driver) create(weaveAndDefine(RoutingDriver.class));
    recording.replacementUrl = "jdbc:shapes:replica";
    recording.replacementInfo = user("poolscope");
    JdbcHooks.install(recording);
    Properties callers = user("app");

    Connection connection = driver.connect("jdbc:other:db", callers);

    assertEquals("jdbc:shapes:replica as poolscope", connection.toString());
    assertEquals(List.of("jdbc:shapes:replica poolscope"), field(driver, "seen"));
    assertEquals(user("app"), callers);
    assertEquals(
        List.of(
            "connect jdbc:other:db",
            "info app",
            "url jdbc:other:db",
            "connected jdbc:shapes:replica jdbc:shapes:replica as poolscope null"),
        recording.calls);
  }

  /**
   * A driver body that reassigns its url parameter (some drivers normalize the URL in place): the
   * exit hook still gets the URL the driver was given (after the url hook), not whatever the body
   * left in the parameter's slot, so a weave that reads the argument slot at the exit must keep a
   * copy of it.
   */
  @Test
  void exitHookGetsTheUrlTheDriverWasGivenThoughTheBodyReassignsIt() throws Exception {
    Driver driver = (Driver) create(weaveAndDefine(RoutingDriver.class));
    JdbcHooks.install(recording);

    Connection connection = driver.connect("jdbc:shapes-alias:db", user("app"));

    assertEquals("jdbc:shapes:db as app", connection.toString());
    assertEquals(List.of("jdbc:shapes-alias:db app"), field(driver, "seen"));
    assertEquals(
        List.of(
            "connect jdbc:shapes-alias:db",
            "info app",
            "url jdbc:shapes-alias:db",
            "connected jdbc:shapes-alias:db jdbc:shapes:db as app null"),
        recording.calls);
  }

  // --- 7. a listener that throws --------------------------------------------------------------

  /**
   * Every hook throws (after recording the call): the DataSources return and throw exactly what the
   * unwoven classes do, the exceptions being the same objects. The enter hook's failure leaves the
   * state null, which the exit hook then gets.
   */
  @Test
  void throwingListenerChangesNothingForDataSources() throws Exception {
    StubConnection connection = new StubConnection("c1");
    SQLException refused = new SQLException("refused");
    IllegalStateException closed = new IllegalStateException("pool closed");
    Class<?> retrying = weaveAndDefine(RetryingSource.class);
    Class<?> failing = weaveAndDefine(FailingSource.class);
    Class<?> guarded = weaveAndDefine(GuardedSource.class);
    Class<?> wide = weaveAndDefine(WideLocalsSource.class);
    Recording faulty = new Recording(true);
    JdbcHooks.install(faulty);

    List<Callable<Object>> plain = new ArrayList<>();
    List<Callable<Object>> woven = new ArrayList<>();
    for (boolean isWoven : new boolean[] {false, true}) {
      List<Callable<Object>> calls = isWoven ? woven : plain;
      DataSource retry =
          (DataSource) (isWoven ? create(retrying, connection, 1) : new RetryingSource(connection, 1));
      DataSource checked =
          (DataSource) (isWoven ? create(failing, refused, null, connection)
              : new FailingSource(refused, null, connection));
      DataSource unchecked =
          (DataSource) (isWoven ? create(failing, null, closed, connection)
              : new FailingSource(null, closed, connection));
      DataSource guard =
          (DataSource) (isWoven ? create(guarded, connection) : new GuardedSource(connection));
      DataSource many =
          (DataSource) (isWoven ? create(wide, connection) : new WideLocalsSource(connection));
      calls.add(retry::getConnection);
      calls.add(() -> retry.getConnection("app", null));
      calls.add(checked::getConnection);
      calls.add(unchecked::getConnection);
      calls.add(() -> checked.getConnection(null, "pw"));
      calls.add(() -> checked.getConnection("app", null));
      calls.add(guard::getConnection);
      calls.add(() -> guard.getConnection("flaky", "pw"));
      calls.add(() -> many.getConnection("alice", "pw"));
      calls.add(() -> many.getConnection("bob", ""));
    }
    faulty.calls.clear();
    for (int i = 0; i < plain.size(); i++) {
      Outcome expected = Outcome.of(plain.get(i));
      Outcome actual = Outcome.of(woven.get(i));
      assertEquals(expected.toString(), actual.toString(), "call " + i);
      if (expected.thrown == refused || expected.thrown == closed) {
        assertSame(expected.thrown, actual.thrown, "call " + i);
      }
    }

    assertEquals(
        List.of(
            "enter RetryingSource",
            "exit null c1 null",
            "enter RetryingSource",
            "exit null c1 null",
            "enter FailingSource",
            "exit null null SQLException: refused",
            "enter FailingSource",
            "exit null null IllegalStateException: pool closed",
            "enter FailingSource",
            "exit null null NullPointerException",
            "enter FailingSource",
            "exit null null AssertionError: no password for app",
            "enter GuardedSource",
            "exit null c1 null",
            "enter GuardedSource",
            "exit null null SQLException: flaky after 2",
            "enter WideLocalsSource",
            "exit null c1 null",
            "enter WideLocalsSource",
            "exit null null SQLException: empty password for bob@"),
        faulty.calls);
  }

  /** The same for close and abort: the close hook throws, the body runs as if it had not. */
  @Test
  void throwingListenerChangesNothingForConnections() throws Exception {
    Connection connection = (Connection) create(weaveAndDefine(LoopingConnection.class), 2);
    Recording faulty = new Recording(true);
    JdbcHooks.install(faulty);

    connection.close();
    setField(connection, "failNextClose", true);
    assertEquals("close failed", assertThrows(SQLException.class, connection::close).getMessage());
    assertEquals(
        "abort needs an executor",
        assertThrows(SQLException.class, () -> connection.abort(null)).getMessage());

    assertEquals(2, field(connection, "drained"));
    assertEquals(2, field(connection, "closes"));
    assertEquals(1, field(connection, "aborts"));
    assertEquals(
        List.of("close LoopingConnection", "close LoopingConnection", "close LoopingConnection"),
        faulty.calls);
  }

  /**
   * Throwing enter and url hooks replace nothing: the driver sees the caller's URL and properties,
   * even though the listener would have replaced them, and returns and throws as unwoven. Each hook
   * fails on its own (JdbcHooks catches around every listener call), so the url hook still runs after
   * the enter hook threw.
   */
  @Test
  void throwingListenerChangesNothingForDrivers() throws Exception {
    Driver driver = (Driver) create(weaveAndDefine(RoutingDriver.class));
    Recording faulty = new Recording(true);
    faulty.replacementUrl = "jdbc:shapes:replica";
    faulty.replacementInfo = user("poolscope");
    JdbcHooks.install(faulty);

    assertNull(driver.connect("jdbc:other:db", user("app")));
    assertEquals("jdbc:shapes:db as app", driver.connect("jdbc:shapes:db", user("app")).toString());
    SQLException down =
        assertThrows(SQLException.class, () -> driver.connect("jdbc:shapes:down", user("app")));
    assertEquals("server down: jdbc:shapes:down", down.getMessage());

    assertEquals(
        List.of("jdbc:other:db app", "jdbc:shapes:db app", "jdbc:shapes:down app"),
        field(driver, "seen"));
    assertEquals(
        List.of(
            "connect jdbc:other:db",
            "info app",
            "url jdbc:other:db",
            "connected - null null",
            "connect jdbc:shapes:db",
            "info app",
            "url jdbc:shapes:db",
            "connected - jdbc:shapes:db as app null",
            "connect jdbc:shapes:down",
            "info app",
            "url jdbc:shapes:down",
            "connected - null SQLException: server down: jdbc:shapes:down"),
        faulty.calls);
  }

  // --- 8. old class files without stack map frames -------------------------------------------

  /**
   * A Java 5 class file (version 49): no stack map frames at all, verified by type inference. Its
   * getConnection starts with a loop and branches; getConnection(String, String) has a try/catch.
   * The weave must keep the version and not need frames it cannot have.
   */
  @Test
  void java5ClassFileWithoutFrames() throws Exception {
    assertLegacySourceWoven(Opcodes.V1_5, "Legacy15Source");
  }

  /**
   * A Java 6 class file (version 50) without a StackMapTable: frames were optional in Java 6 (the
   * JVM falls back to type inference), and compilers other than javac left them out.
   */
  @Test
  void java6ClassFileWithoutFrames() throws Exception {
    assertLegacySourceWoven(Opcodes.V1_6, "Legacy16Source");
  }

  /**
   * A Java 1.4 class file whose try/finally is a subroutine (jsr/ret), as javac compiled finally
   * blocks before Java 6 and as old drivers still ship: the return address in a local, the finally
   * entered from the normal path and from a catch-any handler.
   */
  @Test
  void java14ClassFileWithJsrRetFinally() throws Exception {
    String name = SAMPLES.replace('/', '.') + "Legacy14Source";
    byte[] original = jsrFinallySource(name.replace('.', '/'));
    DataSource unwoven = (DataSource) create(define(name, original), (Object) null);
    assertEquals("no connection", assertThrows(SQLException.class, unwoven::getConnection).getMessage());
    assertEquals(1, field(unwoven, "released"));
    byte[] woven = transform(name, original);
    assertNotNull(woven, "woven");
    Class<?> type = define(name, woven);
    StubConnection connection = new StubConnection("c1");
    DataSource source = (DataSource) create(type, connection);
    DataSource empty = (DataSource) create(type, (Object) null);
    JdbcHooks.install(recording);

    assertSame(connection, source.getConnection());
    SQLException none = assertThrows(SQLException.class, empty::getConnection);

    assertEquals("no connection", none.getMessage());
    assertSame(none, recording.lastThrown);
    assertEquals(1, field(source, "attempts"));
    assertEquals(1, field(source, "released"));
    assertEquals(1, field(empty, "released"));
    assertEquals(
        List.of(
            "enter Legacy14Source",
            "exit state1 c1 null",
            "enter Legacy14Source",
            "exit state2 null SQLException: no connection"),
        recording.calls);
  }

  private void assertLegacySourceWoven(int version, String simpleName) throws Exception {
    String name = SAMPLES.replace('/', '.') + simpleName;
    byte[] original = legacySource(version, name.replace('.', '/'));
    // the generated class is valid on its own: a VerifyError below is the weave's
    assertNull(((DataSource) create(define(name, original), (Object) null)).getConnection("", "pw"));
    byte[] woven = transform(name, original);
    assertNotNull(woven, "woven");
    assertEquals(version, (woven[6] & 0xFF) << 8 | woven[7] & 0xFF, "class file version kept");
    Class<?> type = define(name, woven);
    StubConnection connection = new StubConnection("c1");
    DataSource source = (DataSource) create(type, connection);
    DataSource empty = (DataSource) create(type, (Object) null);
    JdbcHooks.install(recording);

    assertSame(connection, source.getConnection());
    assertEquals(3, field(source, "attempts"));
    SQLException none = assertThrows(SQLException.class, empty::getConnection);
    assertEquals("no connection after 3 attempts", none.getMessage());
    assertSame(connection, source.getConnection("app", "pw"));
    assertNull(source.getConnection("", "pw"));
    SQLException noUser = assertThrows(SQLException.class, () -> source.getConnection(null, "pw"));
    assertInstanceOf(NullPointerException.class, noUser.getCause());
    assertSame(noUser, recording.lastThrown);

    assertEquals(
        List.of(
            "enter " + simpleName,
            "exit state1 c1 null",
            "enter " + simpleName,
            "exit state2 null SQLException: no connection after 3 attempts",
            "enter " + simpleName,
            "exit state3 c1 null",
            "enter " + simpleName,
            "exit state4 null null",
            "enter " + simpleName,
            "exit state5 null SQLException: no user"),
        recording.calls);
  }

  /**
   * A DataSource-like class as an old compiler wrote it, no frames:
   *
   * <pre>
   * public Connection getConnection() throws SQLException {
   *   do { attempts++; } while (attempts &lt; 3);          // loop head at offset 0
   *   if (connection == null) throw new SQLException("no connection after 3 attempts");
   *   return connection;
   * }
   * public Connection getConnection(String user, String password) throws SQLException {
   *   try { return user.length() == 0 ? null : connection; }
   *   catch (NullPointerException e) { throw new SQLException("no user", e); }
   * }
   * </pre>
   */
  private static byte[] legacySource(int version, String internalName) {
    String sqlException = "java/sql/SQLException";
    ClassWriter writer = legacyDataSource(version, internalName, "attempts");

    MethodVisitor get = writer.visitMethod(Opcodes.ACC_PUBLIC, "getConnection",
        "()Ljava/sql/Connection;", null, new String[] {sqlException});
    get.visitCode();
    Label loop = new Label();
    Label found = new Label();
    get.visitLabel(loop);
    get.visitVarInsn(Opcodes.ALOAD, 0);
    get.visitInsn(Opcodes.DUP);
    get.visitFieldInsn(Opcodes.GETFIELD, internalName, "attempts", "I");
    get.visitInsn(Opcodes.ICONST_1);
    get.visitInsn(Opcodes.IADD);
    get.visitFieldInsn(Opcodes.PUTFIELD, internalName, "attempts", "I");
    get.visitVarInsn(Opcodes.ALOAD, 0);
    get.visitFieldInsn(Opcodes.GETFIELD, internalName, "attempts", "I");
    get.visitInsn(Opcodes.ICONST_3);
    get.visitJumpInsn(Opcodes.IF_ICMPLT, loop);
    get.visitVarInsn(Opcodes.ALOAD, 0);
    get.visitFieldInsn(Opcodes.GETFIELD, internalName, "connection", "Ljava/sql/Connection;");
    get.visitJumpInsn(Opcodes.IFNONNULL, found);
    get.visitTypeInsn(Opcodes.NEW, sqlException);
    get.visitInsn(Opcodes.DUP);
    get.visitLdcInsn("no connection after 3 attempts");
    get.visitMethodInsn(
        Opcodes.INVOKESPECIAL, sqlException, "<init>", "(Ljava/lang/String;)V", false);
    get.visitInsn(Opcodes.ATHROW);
    get.visitLabel(found);
    get.visitVarInsn(Opcodes.ALOAD, 0);
    get.visitFieldInsn(Opcodes.GETFIELD, internalName, "connection", "Ljava/sql/Connection;");
    get.visitInsn(Opcodes.ARETURN);
    get.visitMaxs(0, 0);
    get.visitEnd();

    MethodVisitor login = writer.visitMethod(Opcodes.ACC_PUBLIC, "getConnection",
        "(Ljava/lang/String;Ljava/lang/String;)Ljava/sql/Connection;", null,
        new String[] {sqlException});
    login.visitCode();
    Label start = new Label();
    Label nonEmpty = new Label();
    Label end = new Label();
    Label handler = new Label();
    login.visitTryCatchBlock(start, end, handler, "java/lang/NullPointerException");
    login.visitLabel(start);
    login.visitVarInsn(Opcodes.ALOAD, 1);
    login.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "length", "()I", false);
    login.visitJumpInsn(Opcodes.IFNE, nonEmpty);
    login.visitInsn(Opcodes.ACONST_NULL);
    login.visitInsn(Opcodes.ARETURN);
    login.visitLabel(nonEmpty);
    login.visitVarInsn(Opcodes.ALOAD, 0);
    login.visitFieldInsn(Opcodes.GETFIELD, internalName, "connection", "Ljava/sql/Connection;");
    login.visitInsn(Opcodes.ARETURN);
    login.visitLabel(end);
    login.visitLabel(handler);
    login.visitVarInsn(Opcodes.ASTORE, 3);
    login.visitTypeInsn(Opcodes.NEW, sqlException);
    login.visitInsn(Opcodes.DUP);
    login.visitLdcInsn("no user");
    login.visitVarInsn(Opcodes.ALOAD, 3);
    login.visitMethodInsn(Opcodes.INVOKESPECIAL, sqlException, "<init>",
        "(Ljava/lang/String;Ljava/lang/Throwable;)V", false);
    login.visitInsn(Opcodes.ATHROW);
    login.visitMaxs(0, 0);
    login.visitEnd();

    writer.visitEnd();
    return writer.toByteArray();
  }

  /**
   * As javac 1.4 compiled it, the finally a subroutine:
   *
   * <pre>
   * public Connection getConnection() throws SQLException {
   *   try {
   *     attempts++;
   *     if (connection == null) throw new SQLException("no connection");
   *     return connection;
   *   } finally {
   *     released++;
   *   }
   * }
   * </pre>
   */
  private static byte[] jsrFinallySource(String internalName) {
    String sqlException = "java/sql/SQLException";
    ClassWriter writer = legacyDataSource(Opcodes.V1_4, internalName, "attempts", "released");

    MethodVisitor get = writer.visitMethod(Opcodes.ACC_PUBLIC, "getConnection",
        "()Ljava/sql/Connection;", null, new String[] {sqlException});
    get.visitCode();
    Label start = new Label();
    Label found = new Label();
    Label end = new Label();
    Label any = new Label();
    Label fin = new Label();
    get.visitTryCatchBlock(start, end, any, null);
    get.visitLabel(start);
    increment(get, internalName, "attempts");
    get.visitVarInsn(Opcodes.ALOAD, 0);
    get.visitFieldInsn(Opcodes.GETFIELD, internalName, "connection", "Ljava/sql/Connection;");
    get.visitJumpInsn(Opcodes.IFNONNULL, found);
    get.visitTypeInsn(Opcodes.NEW, sqlException);
    get.visitInsn(Opcodes.DUP);
    get.visitLdcInsn("no connection");
    get.visitMethodInsn(
        Opcodes.INVOKESPECIAL, sqlException, "<init>", "(Ljava/lang/String;)V", false);
    get.visitInsn(Opcodes.ATHROW);
    get.visitLabel(found);
    get.visitVarInsn(Opcodes.ALOAD, 0);
    get.visitFieldInsn(Opcodes.GETFIELD, internalName, "connection", "Ljava/sql/Connection;");
    get.visitVarInsn(Opcodes.ASTORE, 1);
    get.visitLabel(end);
    get.visitJumpInsn(Opcodes.JSR, fin);
    get.visitVarInsn(Opcodes.ALOAD, 1);
    get.visitInsn(Opcodes.ARETURN);
    get.visitLabel(any);
    get.visitVarInsn(Opcodes.ASTORE, 2);
    get.visitJumpInsn(Opcodes.JSR, fin);
    get.visitVarInsn(Opcodes.ALOAD, 2);
    get.visitInsn(Opcodes.ATHROW);
    get.visitLabel(fin);
    get.visitVarInsn(Opcodes.ASTORE, 3);
    increment(get, internalName, "released");
    get.visitVarInsn(Opcodes.RET, 3);
    get.visitMaxs(0, 0);
    get.visitEnd();

    writer.visitEnd();
    return writer.toByteArray();
  }

  /**
   * A DataSourceBase subclass of the given class-file version with a final {@code connection} field
   * set by its constructor and public int counters; the caller adds getConnection.
   */
  private static ClassWriter legacyDataSource(int version, String internalName, String... counters) {
    String base = "io/poolscope/samples/DataSourceBase";
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, base, null);
    writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "connection", "Ljava/sql/Connection;",
        null, null).visitEnd();
    for (String counter : counters) {
      writer.visitField(Opcodes.ACC_PUBLIC, counter, "I", null, null).visitEnd();
    }

    MethodVisitor init =
        writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(Ljava/sql/Connection;)V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, base, "<init>", "()V", false);
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitVarInsn(Opcodes.ALOAD, 1);
    init.visitFieldInsn(Opcodes.PUTFIELD, internalName, "connection", "Ljava/sql/Connection;");
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    return writer;
  }

  /** {@code this.field++} for an int field. */
  private static void increment(MethodVisitor code, String owner, String field) {
    code.visitVarInsn(Opcodes.ALOAD, 0);
    code.visitInsn(Opcodes.DUP);
    code.visitFieldInsn(Opcodes.GETFIELD, owner, field, "I");
    code.visitInsn(Opcodes.ICONST_1);
    code.visitInsn(Opcodes.IADD);
    code.visitFieldInsn(Opcodes.PUTFIELD, owner, field, "I");
  }

  // --- 9. methods that are not woven -------------------------------------------------------------

  /**
   * Static getConnections, getConnections of other parameter lists or return types, abstract ones,
   * an interface's default method, a Connection that inherits close: nothing to weave, the class is
   * left as it is.
   */
  @Test
  void classesWithoutAMethodToWeaveAreLeftAlone() throws Exception {
    assertNull(transform(StaticFactory.class));
    assertNull(transform(OtherSignatures.class));
    assertNull(transform(AbstractSource.class));
    assertNull(transform(DefaultMethodSource.class));
    assertNull(transform(ConnectionBase.class));
  }

  /**
   * A native getConnection() has no code to weave: calling it fails as before, without a hook call,
   * while the class's ordinary getConnection(String, String) is woven.
   */
  @Test
  void nativeGetConnectionIsLeftAloneNextToAWovenOne() throws Exception {
    DataSource source = (DataSource) create(weaveAndDefine(NativeSource.class));
    JdbcHooks.install(recording);

    assertThrows(UnsatisfiedLinkError.class, source::getConnection);
    assertEquals(List.of(), recording.calls);
    assertEquals("java app", source.getConnection("app", "pw").toString());

    assertEquals(List.of("enter NativeSource", "exit state1 java app null"), recording.calls);
  }

  // --- helpers ------------------------------------------------------------------------------------

  private byte[] transform(Class<?> type) throws Exception {
    return transformer.transform(type.getModule(), type.getClassLoader(),
        type.getName().replace('.', '/'), null, type.getProtectionDomain(), classFile(type));
  }

  /** A class that is no loaded class: as if the test's class loader were loading it. */
  private byte[] transform(String name, byte[] classFile) throws Exception {
    Class<?> loading = WovenShapesTest.class;
    return transformer.transform(loading.getModule(), loading.getClassLoader(),
        name.replace('.', '/'), null, loading.getProtectionDomain(), classFile);
  }

  private byte[] weave(Class<?> type) throws Exception {
    byte[] woven = transform(type);
    assertNotNull(woven, type.getSimpleName() + " woven");
    return woven;
  }

  private Class<?> weaveAndDefine(Class<?> type) throws Exception {
    return define(type.getName(), weave(type));
  }

  private static byte[] classFile(Class<?> type) throws Exception {
    return AdviceTransformerTest.classFile(type);
  }

  /** Defines the class in a fresh loader, which the JVM verifies the class for. */
  private static Class<?> define(String name, byte[] classFile) throws ClassNotFoundException {
    Class<?> type =
        new ClassLoader(WovenShapesTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String className, boolean resolve)
              throws ClassNotFoundException {
            return className.equals(name)
                ? defineClass(className, classFile, 0, classFile.length)
                : super.loadClass(className, resolve);
          }
        }.loadClass(name);
    assertNotSame(WovenShapesTest.class.getClassLoader(), type.getClassLoader(), "a fresh loader");
    return type;
  }

  /** An instance by the class's one public constructor (which links and verifies the class). */
  private static Object create(Class<?> type, Object... arguments) throws Exception {
    Constructor<?>[] constructors = type.getConstructors();
    assertEquals(1, constructors.length, type + " constructors");
    return constructors[0].newInstance(arguments);
  }

  private static Object field(Object target, String name) throws Exception {
    return target.getClass().getField(name).get(target);
  }

  private static void setField(Object target, String name, Object value) throws Exception {
    target.getClass().getField(name).set(target, value);
  }

  private static Properties user(String user) {
    Properties info = new Properties();
    info.setProperty("user", user);
    return info;
  }

  private static String describe(Throwable thrown) {
    if (thrown == null) {
      return "null";
    }
    String type = thrown.getClass().getSimpleName();
    // a NullPointerException's helpful message depends on the bytecode around it: left out
    return thrown.getMessage() == null || thrown instanceof NullPointerException
        ? type
        : type + ": " + thrown.getMessage();
  }

  /** The method's {@code max_locals}, -1 if there is no such method. */
  private static int maxLocals(byte[] classFile, String name, String descriptor) {
    int[] maxLocals = {-1};
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(
          int access, String method, String desc, String signature, String[] exceptions) {
        if (!method.equals(name) || !desc.equals(descriptor)) {
          return null;
        }
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMaxs(int maxStack, int locals) {
            maxLocals[0] = locals;
          }
        };
      }
    }, 0);
    return maxLocals[0];
  }

  /**
   * Whether the method's code has a stack map frame at offset 0, that is its first instruction is a
   * branch target: makes sure the sample still has the shape its test is about.
   */
  private static boolean startsWithAFrame(byte[] classFile, String name, String descriptor) {
    boolean[] frameFirst = {false};
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(
          int access, String method, String desc, String signature, String[] exceptions) {
        if (!method.equals(name) || !desc.equals(descriptor)) {
          return null;
        }
        return new MethodVisitor(Opcodes.ASM9) {
          private boolean instructionSeen;

          @Override
          public void visitFrame(int type, int locals, Object[] local, int stack, Object[] onStack) {
            frameFirst[0] |= !instructionSeen;
          }

          @Override
          public void visitLabel(Label label) {}

          @Override
          public void visitInsn(int opcode) {
            instructionSeen = true;
          }

          @Override
          public void visitVarInsn(int opcode, int var) {
            instructionSeen = true;
          }

          @Override
          public void visitFieldInsn(int opcode, String owner, String field, String desc) {
            instructionSeen = true;
          }

          @Override
          public void visitMethodInsn(
              int opcode, String owner, String method, String desc, boolean isInterface) {
            instructionSeen = true;
          }

          @Override
          public void visitJumpInsn(int opcode, Label label) {
            instructionSeen = true;
          }

          @Override
          public void visitIntInsn(int opcode, int operand) {
            instructionSeen = true;
          }

          @Override
          public void visitTypeInsn(int opcode, String type) {
            instructionSeen = true;
          }

          @Override
          public void visitLdcInsn(Object value) {
            instructionSeen = true;
          }

          @Override
          public void visitIincInsn(int var, int increment) {
            instructionSeen = true;
          }
        };
      }
    }, 0);
    return frameFirst[0];
  }

  /** What a call did: returned something (by its toString) or threw. */
  private static final class Outcome {
    final String returned;
    final Throwable thrown;

    private Outcome(String returned, Throwable thrown) {
      this.returned = returned;
      this.thrown = thrown;
    }

    static Outcome of(Callable<Object> call) {
      try {
        return new Outcome(String.valueOf(call.call()), null);
      } catch (Throwable t) {
        return new Outcome(null, t);
      }
    }

    @Override
    public String toString() {
      // the full message: a NullPointerException's helpful one describes the bytecode around it
      return thrown == null ? "returned " + returned : "threw " + thrown;
    }
  }

  /**
   * Records every hook call as a line. States are "state1", "state2"... in the order of the enters.
   * {@code faulty}: every hook throws after recording, as {@code entry.FaultyListener} does.
   */
  private static final class Recording implements JdbcListener {
    final List<String> calls = new ArrayList<>();
    final boolean faulty;
    String replacementUrl;
    Properties replacementInfo;
    Object lastReceiver;
    Throwable lastThrown;
    private int states;

    Recording(boolean faulty) {
      this.faulty = faulty;
    }

    private void fault() {
      if (faulty) {
        throw new IllegalStateException("listener failure");
      }
    }

    @Override
    public Object getConnectionEnter(Object dataSource) {
      calls.add("enter " + dataSource.getClass().getSimpleName());
      lastReceiver = dataSource;
      String state = "state" + ++states;
      fault();
      return state;
    }

    @Override
    public void getConnectionExit(Object state, Object connection, Throwable thrown) {
      calls.add("exit " + state + " " + connection + " " + describe(thrown));
      lastThrown = thrown;
      fault();
    }

    @Override
    public void connectionClose(Object connection) {
      calls.add("close " + connection.getClass().getSimpleName());
      lastReceiver = connection;
      fault();
    }

    /** The state of a connect: the URL the driver is given, once the url hook has run. */
    @Override
    public Object driverConnectEnter(String url) {
      calls.add("connect " + url);
      String[] state = {url};
      fault();
      return state;
    }

    @Override
    public Properties driverConnectInfo(Object state, String url, Properties info) {
      calls.add("info " + info.getProperty("user"));
      fault();
      return replacementInfo != null ? replacementInfo : info;
    }

    @Override
    public String driverConnectUrl(Object state, String url) {
      calls.add("url " + url);
      fault();
      String connectUrl = replacementUrl != null ? replacementUrl : url;
      ((String[]) state)[0] = connectUrl;
      return connectUrl;
    }

    /** Without the enter's state (a faulty enter returned none), the URL shows as "-". */
    @Override
    public void driverConnectExit(Object state, Object connection, Throwable thrown) {
      String url = state == null ? "-" : ((String[]) state)[0];
      calls.add("connected " + url + " " + connection + " " + describe(thrown));
      lastThrown = thrown;
      fault();
    }
  }
}
