package io.poolscope.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isFinal;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which classes and methods poolscope instruments. Matching goes by names only, so no app class is
 * loaded while matching. Retransformation is on, so classes loaded before the agent (attach to a
 * running JVM) are instrumented the same way.
 */
public final class JdbcInstrumentation {

  private static final ElementMatcher.Junction<MethodDescription> GET_CONNECTION =
      named("getConnection")
          .and(not(isAbstract()))
          .and(not(isStatic()))
          .and(takes().or(takes("java.lang.String", "java.lang.String")))
          .and(returns(hasSuperType(named("java.sql.Connection"))));

  /**
   * Classes that declare a getConnection, not only DataSources: a pool may inherit it from a base
   * class that is no DataSource itself (tomcat-jdbc's DataSourceProxy, pgjdbc's BaseDataSource). The
   * tracker ignores calls whose receiver is not a {@code javax.sql.DataSource}. A final class that is
   * none never has such a receiver: a pool's inner part (HikariCP's HikariPool, called in every
   * checkout) is left alone, which saves its checkouts ~7 ns (BENCHMARKS.md).
   */
  private static final ElementMatcher.Junction<TypeDescription> DATA_SOURCES =
      not(isInterface())
          .and(declaresMethod(GET_CONNECTION))
          .and(not(isFinal()).or(hasSuperType(named("javax.sql.DataSource"))));

  private static final ElementMatcher.Junction<TypeDescription> CONNECTIONS =
      not(isInterface()).and(hasSuperType(named("java.sql.Connection")));

  /** A pool shutting down aborts the connections still checked out: abort ends them too. */
  private static final ElementMatcher.Junction<MethodDescription> CLOSE =
      named("close").and(takes())
          .or(named("abort").and(takes("java.util.concurrent.Executor")))
          .and(not(isAbstract()));

  private static final ElementMatcher.Junction<TypeDescription> DRIVERS =
      not(isInterface()).and(hasSuperType(named("java.sql.Driver")));

  private static final ElementMatcher.Junction<MethodDescription> CONNECT =
      named("connect")
          .and(not(isAbstract()))
          .and(takes("java.lang.String", "java.util.Properties"));

  /** Ours, an app's own Byte Buddy, and the JDK's internals are never instrumented. */
  private static final List<String> IGNORED =
      List.of("io/poolscope/agent/", "net/bytebuddy/", "jdk/internal/", "sun/reflect/");

  private JdbcInstrumentation() {}

  /**
   * Parameter types by name: matchers built from {@code Class} objects would start Byte Buddy's
   * reflection machinery in premain, on the app's critical path.
   */
  private static ElementMatcher.Junction<MethodDescription> takes(String... parameterTypes) {
    ElementMatcher.Junction<MethodDescription> matcher = takesArguments(parameterTypes.length);
    for (int i = 0; i < parameterTypes.length; i++) {
      matcher = matcher.and(takesArgument(i, named(parameterTypes[i])));
    }
    return matcher;
  }

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
    return new AdviceTransformer(
        List.of(
            // the method names let most classes pass unparsed: a class declares only what it names
            new AdviceTransformer.Rule(
                DATA_SOURCES, GET_CONNECTION, GetConnectionAdvice.class, "getConnection"),
            new AdviceTransformer.Rule(CONNECTIONS, CLOSE, CloseAdvice.class, "close", "abort"),
            new AdviceTransformer.Rule(DRIVERS, CONNECT, DriverConnectAdvice.class, "connect")),
        IGNORED,
        instrumentation,
        hooks,
        debug);
  }
}
