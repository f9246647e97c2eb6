package io.poolscope.agent.config;

import java.io.PrintStream;

/** The agent's own log: one line per event on stderr, prefixed so users can grep for it. */
public final class Log {

  private static volatile PrintStream out = System.err;

  private Log() {}

  public static void info(String message) {
    out.println("[poolscope] INFO " + message);
  }

  public static void warn(String message) {
    out.println("[poolscope] WARN " + message);
  }

  /** For failures inside the agent: the app goes on, the user learns what broke. */
  public static void warn(String message, Throwable cause) {
    warn(message + ": " + cause);
  }
}
