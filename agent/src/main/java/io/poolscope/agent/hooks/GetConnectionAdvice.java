package io.poolscope.agent.hooks;

import io.poolscope.agent.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into every {@code DataSource.getConnection()} and {@code getConnection(String, String)}. */
public final class GetConnectionAdvice {

  private GetConnectionAdvice() {}

  /** Returns the thread's tracking state, kept in a local of the instrumented method until exit. */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object dataSource) {
    return JdbcHooks.getConnectionEnter(dataSource);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter Object state,
      @Advice.Return Object connection,
      @Advice.Thrown Throwable thrown) {
    JdbcHooks.getConnectionExit(state, connection, thrown);
  }
}
