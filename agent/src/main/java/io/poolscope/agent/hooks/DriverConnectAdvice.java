package io.poolscope.agent.hooks;

import io.poolscope.agent.bootstrap.JdbcHooks;
import java.util.Properties;
import net.bytebuddy.asm.Advice;

/** Inlined into every {@code Driver.connect(String, Properties)}: where physical connections are born. */
public final class DriverConnectAdvice {

  private DriverConnectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(
      @Advice.Argument(value = 0, readOnly = false) String url,
      @Advice.Argument(value = 1, readOnly = false) Properties info) {
    info = JdbcHooks.driverConnectEnter(url, info);
    url = JdbcHooks.driverConnectUrl(url);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Argument(0) String url,
      @Advice.Return Object connection,
      @Advice.Thrown Throwable thrown) {
    JdbcHooks.driverConnectExit(url, connection, thrown);
  }
}
