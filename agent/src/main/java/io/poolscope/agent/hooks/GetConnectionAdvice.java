package io.poolscope.agent.hooks;

import io.poolscope.agent.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into every {@code DataSource.getConnection()} and {@code getConnection(String, String)}. */
public final class GetConnectionAdvice {

  private GetConnectionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object dataSource) {
    JdbcHooks.getConnectionEnter(dataSource);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.This Object dataSource,
      @Advice.Return Object connection,
      @Advice.Thrown Throwable thrown) {
    JdbcHooks.getConnectionExit(dataSource, connection, thrown);
  }
}
