package io.poolscope.agent.entry;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent} ({@link #premain}) and attach ({@link #agentmain}).
 * This class must not reference the bootstrap hook classes: they are injected by {@link Installer}
 * before first use.
 */
public final class PoolscopeAgent {

  private PoolscopeAgent() {}

  public static void premain(String args, Instrumentation instrumentation) {
    Installer.install(args, instrumentation);
  }

  public static void agentmain(String args, Instrumentation instrumentation) {
    Installer.install(args, instrumentation);
  }

  public static void main(String[] args) {
    System.out.println(
        "poolscope: attach it with -javaagent:poolscope-agent.jar; see the README for options.");
  }
}
