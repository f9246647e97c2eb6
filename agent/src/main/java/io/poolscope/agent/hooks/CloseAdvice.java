package io.poolscope.agent.hooks;

import io.poolscope.agent.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** Inlined into every {@code Connection.close()}: the checkout ends when the app hands it back. */
public final class CloseAdvice {

  private CloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object connection) {
    JdbcHooks.connectionClose(connection);
  }
}
