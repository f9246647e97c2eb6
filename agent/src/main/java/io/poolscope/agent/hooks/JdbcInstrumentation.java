package io.poolscope.agent.hooks;

import static io.poolscope.agent.hooks.SuperTypes.CONNECTION;
import static io.poolscope.agent.hooks.SuperTypes.CONNECTION_HOLDER;
import static io.poolscope.agent.hooks.SuperTypes.DATA_SOURCE;
import static io.poolscope.agent.hooks.SuperTypes.DRIVER;

import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Which methods poolscope weaves, and into which classes. Matching goes by names only, so no app class
 * is loaded while matching. Retransformation is on, so classes loaded before the agent (attach to a
 * running JVM) are woven the same way.
 */
public final class JdbcInstrumentation {

  private static final String STRING = "Ljava/lang/String;";

  /**
   * Classes that declare a getConnection, not only DataSources: a pool may inherit it from a base
   * class that is no DataSource itself (tomcat-jdbc's DataSourceProxy, pgjdbc's BaseDataSource). The
   * tracker ignores calls whose receiver is not a {@code javax.sql.DataSource}. A final class that is
   * none never has such a receiver: a pool's inner part (HikariCP's HikariPool, called in every
   * checkout) is left alone, which saves its checkouts ~7 ns (BENCHMARKS.md). Nor has a statement,
   * metadata or pooled connection, whose getConnection hands out its own connection.
   */
  private static final MethodRule.Receiver DATA_SOURCES =
      (access, superTypes) -> ((access & Opcodes.ACC_FINAL) == 0 || (superTypes & DATA_SOURCE) != 0)
          && (superTypes & CONNECTION_HOLDER) == 0;

  private static final MethodRule.Receiver CONNECTIONS =
      (access, superTypes) -> (superTypes & CONNECTION) != 0;

  private static final MethodRule.Receiver DRIVERS =
      (access, superTypes) -> (superTypes & DRIVER) != 0;

  private static final List<MethodRule> RULES =
      List.of(
          new MethodRule("getConnection", "()", true, DATA_SOURCES, GetConnectionAdvice.INSTANCE),
          new MethodRule("getConnection", "(" + STRING + STRING + ")", true, DATA_SOURCES,
              GetConnectionAdvice.INSTANCE),
          new MethodRule("close", "()", false, CONNECTIONS, CloseAdvice.INSTANCE),
          // a pool shutting down aborts the connections still checked out: abort ends them too
          new MethodRule("abort", "(Ljava/util/concurrent/Executor;)", false, CONNECTIONS,
              CloseAdvice.INSTANCE),
          new MethodRule("connect", "(" + STRING + "Ljava/util/Properties;)", false, DRIVERS,
              DriverConnectAdvice.INSTANCE));

  /** Ours, an app's own Byte Buddy, and the JDK's internals are never instrumented. */
  private static final List<String> IGNORED =
      List.of("io/poolscope/agent/", "net/bytebuddy/", "jdk/internal/", "sun/reflect/");

  private JdbcInstrumentation() {}

  /**
   * {@code retransform}: also instrument classes loaded already (attach to a running JVM). At premain
   * only JDK classes are loaded, so the redefinition machinery is not even started.
   */
  public static void install(
      Instrumentation instrumentation, Class<?> hooks, boolean debug, boolean retransform) {
    AdviceTransformer transformer = transformer(instrumentation, hooks.getModule(), debug);
    instrumentation.addTransformer(transformer, retransform);
    if (retransform) {
      transformer.retransformLoaded();
    }
  }

  static AdviceTransformer transformer(
      Instrumentation instrumentation, Module hooks, boolean debug) {
    return new AdviceTransformer(RULES, IGNORED, instrumentation, hooks, debug);
  }
}
