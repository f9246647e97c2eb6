package io.poolscope.agent.entry;

import io.poolscope.agent.config.AgentConfig;
import io.poolscope.agent.config.Settings;
import java.io.File;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The agent jar's command line: {@code attach PID [OPTIONS]} loads poolscope into a running JVM,
 * {@code list} shows the JVMs it could be loaded into. A failure is one line on stderr and a
 * non-zero exit code; nothing in the target changes unless the agent is really loaded.
 */
final class AttachCommand {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  /** poolscope is in that JVM already: distinct, so a script can treat "attach" as idempotent. */
  static final int ALREADY_ATTACHED = 3;

  private static final String USAGE_LINE =
      "usage: java -jar poolscope-agent.jar attach <pid> [name=value,...] | list";

  private final PrintStream out;
  private final PrintStream err;

  private AttachCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    AttachCommand command = new AttachCommand(out, err);
    try {
      return command.dispatch(args);
    } catch (Failure failure) {
      err.println("poolscope: " + failure.getMessage());
      return failure.exitCode;
    } catch (NoClassDefFoundError e) {
      if (!String.valueOf(e.getMessage()).contains("com/sun/tools/attach")) {
        throw e;
      }
      err.println("poolscope: this Java runtime has no Attach API (module jdk.attach): "
          + "run the command with the java of a JDK");
      return FAILED;
    }
  }

  private int dispatch(String[] args) throws Failure {
    if (args.length == 0 || List.of("help", "-h", "--help").contains(args[0])) {
      usage();
      return OK;
    }
    switch (args[0]) {
      case "list":
        if (args.length > 1) {
          throw new Failure(USAGE, "list takes no arguments; " + USAGE_LINE);
        }
        list();
        return OK;
      case "attach":
        if (args.length < 2) {
          throw new Failure(USAGE, "attach needs a process id; " + USAGE_LINE);
        }
        return attach(pid(args[1]), String.join(",", Arrays.asList(args).subList(2, args.length)));
      default:
        throw new Failure(USAGE, "unknown command " + args[0] + "; " + USAGE_LINE);
    }
  }

  private void usage() {
    out.println("poolscope " + Installer.version() + ": JDBC connection pool metrics for any JVM");
    out.println("  at startup:      java -javaagent:poolscope-agent.jar[=name=value,...] ...");
    out.println("  into a live JVM: java -jar poolscope-agent.jar attach <pid> [name=value,...]");
    out.println("  list JVMs:       java -jar poolscope-agent.jar list");
    out.println("options: poolscope options (pools.max=50) and otel.* settings"
        + " (otel.exporter.otlp.endpoint=http://collector:4318); see the README");
  }

  private void list() {
    Map<Long, String> jvms = TargetJvm.candidates();
    if (jvms.isEmpty()) {
      out.println("no other JVM of user " + System.getProperty("user.name") + " accepts attach");
      return;
    }
    out.println(String.format("%-8s %s", "PID", "MAIN"));
    jvms.forEach((pid, main) -> out.println(String.format("%-8d %s", pid, main)));
  }

  private int attach(long pid, String options) throws Failure {
    // the agent's own checks, so a bad option shows here and not only in the target's log
    AgentArguments arguments = AgentArguments.parse(options);
    AgentConfig.load(Settings.from(arguments.poolscope(), Map.of(), Map.of()));
    File jar = agentJar();
    try (TargetJvm target = TargetJvm.attach(pid)) {
      Properties before = target.systemProperties();
      String installed = before.getProperty(Installer.INSTALLED_PROPERTY);
      if (installed != null) {
        throw new Failure(ALREADY_ATTACHED,
            "already loaded in JVM " + pid + " (poolscope " + installed + "); nothing changed");
      }
      TargetJvm.requireJava11(pid, before);
      for (String name : arguments.otel().keySet()) {
        if (before.getProperty(name) != null) {
          err.println(
              "poolscope: note: JVM " + pid + " sets -D" + name + " itself; its own value is used");
        }
      }
      target.load(jar, options);
      String now = target.systemProperties().getProperty(Installer.INSTALLED_PROPERTY);
      if (now == null) {
        throw new Failure(FAILED,
            "the agent was loaded into JVM " + pid + " but did not start; see that JVM's stderr");
      }
      out.println("poolscope " + now + " attached to JVM " + pid + " ("
          + TargetJvm.mainOf(before.getProperty("sun.java.command"))
          + "); its log goes to that JVM's stderr");
      return OK;
    }
  }

  private static long pid(String text) throws Failure {
    try {
      long pid = Long.parseLong(text);
      if (pid > 0) {
        return pid;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Failure(USAGE, "'" + text + "' is not a process id; " + USAGE_LINE);
  }

  private static File agentJar() throws Failure {
    try {
      File jar = Installer.agentJar();
      if (jar.isFile()) {
        return jar;
      }
    } catch (Exception e) {
      // reported below
    }
    throw new Failure(FAILED, "run this command from the agent jar: java -jar poolscope-agent.jar");
  }

  /** Ends the command with one line on stderr and its exit code. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    Failure(int exitCode, String message) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }
}
