package io.poolscope.agent.entry;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent} ({@link #premain}), attach ({@link #agentmain}) and
 * the command line that attaches it ({@link #main}).
 * This class must not reference the bootstrap hook classes: they are injected by {@link Installer}
 * before first use.
 */
public final class PoolscopeAgent {

  private PoolscopeAgent() {}

  public static void premain(String args, Instrumentation instrumentation) {
    Installer.install(args, instrumentation, false);
  }

  public static void agentmain(String args, Instrumentation instrumentation) {
    Installer.install(args, instrumentation, true);
  }

  /** {@code java -jar poolscope-agent.jar attach <pid> [options] | list}. */
  public static void main(String[] args) {
    System.exit(AttachCommand.run(args, System.out, System.err));
  }
}
