package io.poolscope.agent.hooks;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.poolscope.agent.config.Log;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.Executor;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

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
          .and(takesArguments(0).or(takesArguments(String.class, String.class)))
          .and(returns(hasSuperType(named("java.sql.Connection"))));

  /**
   * Classes that declare a getConnection, not only DataSources: a pool may inherit it from a base
   * class that is no DataSource itself (tomcat-jdbc's DataSourceProxy, pgjdbc's BaseDataSource). The
   * tracker ignores calls whose receiver is not a {@code javax.sql.DataSource}.
   */
  private static final ElementMatcher.Junction<TypeDescription> DATA_SOURCES =
      not(isInterface()).and(declaresMethod(GET_CONNECTION));

  private static final ElementMatcher.Junction<TypeDescription> CONNECTIONS =
      not(isInterface()).and(hasSuperType(named("java.sql.Connection")));

  /** A pool shutting down aborts the connections still checked out: abort ends them too. */
  private static final ElementMatcher.Junction<MethodDescription> CLOSE =
      named("close").and(takesArguments(0))
          .or(named("abort").and(takesArguments(Executor.class)))
          .and(not(isAbstract()));

  private static final ElementMatcher.Junction<TypeDescription> DRIVERS =
      not(isInterface()).and(hasSuperType(named("java.sql.Driver")));

  private static final ElementMatcher.Junction<MethodDescription> CONNECT =
      named("connect")
          .and(not(isAbstract()))
          .and(takesArguments(String.class, java.util.Properties.class));

  private JdbcInstrumentation() {}

  /**
   * {@code retransform}: also instrument classes loaded already (attach to a running JVM). At premain
   * only JDK classes are loaded, so the redefinition machinery is not even started.
   */
  public static ResettableClassFileTransformer install(
      Instrumentation instrumentation, Class<?> hooks, boolean debug, boolean retransform) {
    AgentBuilder.Transformer getConnection = advice(GetConnectionAdvice.class, GET_CONNECTION);
    AgentBuilder.Transformer close = advice(CloseAdvice.class, CLOSE);
    AgentBuilder.Transformer connect = advice(DriverConnectAdvice.class, CONNECT);
    // no Nexus: Byte Buddy would set it up through sun.misc.Unsafe, which JDK 24+ warns about on the
    // app's stderr; advice inlining does not need it (the property name is relocated: ours only)
    if (System.getProperty(Nexus.PROPERTY) == null) {
      System.setProperty(Nexus.PROPERTY, "true");
    }
    return new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(
            retransform
                ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION
                : AgentBuilder.RedefinitionStrategy.DISABLED)
        .with(AgentBuilder.PoolStrategy.Default.FAST)
        .with(debug ? new ErrorLog() : AgentBuilder.Listener.NoOp.INSTANCE)
        .ignore(
            nameStartsWith("io.poolscope.agent.")
                .or(nameStartsWith("net.bytebuddy."))
                .or(nameStartsWith("jdk.internal."))
                .or(nameStartsWith("sun.reflect."))
                .or(isSynthetic()))
        .or(any(), isBootstrapClassLoader())
        // the platform loader's own classes are the JDK's; JDK proxies defined there are the app's
        .or(not(nameStartsWith("jdk.proxy").or(nameStartsWith("com.sun.proxy."))), isExtensionClassLoader())
        // advice inlined into a named module (a JDK proxy, a modular pool) must be able to read the hooks
        .assureReadEdgeTo(instrumentation, hooks)
        .type(DATA_SOURCES)
        .transform(getConnection)
        .type(CONNECTIONS)
        .transform(close)
        .type(DRIVERS)
        .transform(connect)
        .installOn(instrumentation);
  }

  private static AgentBuilder.Transformer advice(
      Class<?> adviceClass, ElementMatcher<? super MethodDescription> methods) {
    Advice advice = Advice.to(adviceClass);
    return (DynamicType.Builder<?> builder,
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        java.security.ProtectionDomain domain) -> builder.visit(advice.on(methods));
  }

  /** With {@code poolscope.debug=true}: why a class could not be instrumented. */
  private static final class ErrorLog extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
      Log.warn("could not instrument " + typeName, throwable);
    }
  }
}
