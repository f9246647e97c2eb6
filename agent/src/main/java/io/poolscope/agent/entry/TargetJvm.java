package io.poolscope.agent.entry;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.poolscope.agent.entry.AttachCommand.Failure;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A running JVM reached through the Attach API (module {@code jdk.attach}), after checks that name
 * the reason where it cannot be reached: no such process, another user's, no JVM, attach disabled.
 */
final class TargetJvm implements AutoCloseable {

  private static final int SIGQUIT = 3;

  private final long pid;
  private final VirtualMachine vm;

  private TargetJvm(long pid, VirtualMachine vm) {
    this.pid = pid;
    this.vm = vm;
  }

  /** JVMs of this user that accept attach, but this one: pid → main class or jar. */
  static Map<Long, String> candidates() {
    Map<Long, String> jvms = new TreeMap<>();
    long self = ProcessHandle.current().pid();
    for (VirtualMachineDescriptor jvm : VirtualMachine.list()) {
      try {
        long pid = Long.parseLong(jvm.id());
        if (pid != self) {
          jvms.put(pid, jvm.displayName().equals(jvm.id()) ? "?" : mainOf(jvm.displayName()));
        }
      } catch (NumberFormatException e) {
        // not a process id: a provider this command does not know
      }
    }
    return jvms;
  }

  /** The main class or jar: the command line's first word; its arguments may hold secrets. */
  static String mainOf(String commandLine) {
    return commandLine == null || commandLine.isBlank() ? "?" : commandLine.trim().split("\\s+")[0];
  }

  static TargetJvm attach(long pid) throws Failure {
    if (pid == ProcessHandle.current().pid()) {
      throw failed("pid " + pid + " is this command itself");
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty()) {
      throw failed("no process with pid " + pid);
    }
    requireSameUser(process.get());
    if (!candidates().containsKey(pid)) {
      requireAttachSignalHandled(process.get());
    }
    try {
      return new TargetJvm(pid, VirtualMachine.attach(Long.toString(pid)));
    } catch (AttachNotSupportedException e) {
      if (String.valueOf(e.getMessage()).contains("does not support the attach mechanism")) {
        throw failed("JVM " + pid + " does not allow attaching (started with"
            + " -XX:+DisableAttachMechanism); add -javaagent:poolscope-agent.jar at its next"
            + " start");
      }
      throw failed("cannot attach to process " + pid + ": " + e.getMessage());
    } catch (IOException | SecurityException e) {
      throw failed("cannot attach to JVM " + pid + ": " + e.getMessage());
    }
  }

  /** The Attach API reaches only JVMs of the same user (root reaches all). */
  private static void requireSameUser(ProcessHandle process) throws Failure {
    String me = System.getProperty("user.name");
    String owner = process.info().user().orElse(null);
    if (owner != null && !owner.equals(me) && !me.equals("root")) {
      throw failed("process " + process.pid() + " belongs to user " + owner + " and this command"
          + " runs as " + me + ": the Attach API reaches only JVMs of the same user; run it as "
          + owner + " (sudo -u " + owner + " java -jar poolscope-agent.jar attach " + process.pid()
          + ")");
    }
  }

  /**
   * On Linux the Attach API wakes a JVM with SIGQUIT, whose default action kills a process that
   * does not handle it (JDK 17 does not check first): a pid that is no JVM must never get that far.
   * Only for pids missing from {@link #candidates}; elsewhere the Attach API's own checks apply.
   */
  private static void requireAttachSignalHandled(ProcessHandle process) throws Failure {
    Path status = Paths.get("/proc", Long.toString(process.pid()), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("SigCgt:")) {
          long caught = Long.parseUnsignedLong(line.substring("SigCgt:".length()).trim(), 16);
          if ((caught & (1L << (SIGQUIT - 1))) == 0) {
            throw failed("process " + process.pid() + " (" + process.info().command().orElse("?")
                + ") is not a JVM that accepts attach: it does not handle SIGQUIT, which attaching"
                + " sends");
          }
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc (not Linux) or gone meanwhile: the Attach API reports what it finds
    }
  }

  static void requireJava11(long pid, Properties properties) throws Failure {
    String version = properties.getProperty("java.specification.version", "");
    int major;
    try {
      major = version.startsWith("1.") ? 8 : Integer.parseInt(version);
    } catch (NumberFormatException e) {
      return; // unknown: let the JVM decide
    }
    if (major < 11) {
      throw failed("JVM " + pid + " runs Java " + version + "; poolscope needs Java 11 or newer");
    }
  }

  Properties systemProperties() throws Failure {
    try {
      return vm.getSystemProperties();
    } catch (IOException e) {
      throw failed("cannot read the system properties of JVM " + pid + ": " + e.getMessage());
    }
  }

  void load(File agentJar, String options) throws Failure {
    try {
      vm.loadAgent(agentJar.getAbsolutePath(), options);
    } catch (AgentLoadException | AgentInitializationException | IOException e) {
      throw failed("JVM " + pid + " could not load " + agentJar + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      vm.detach();
    } catch (IOException e) {
      // the target went away: nothing left to release
    }
  }

  private static Failure failed(String message) {
    return new Failure(AttachCommand.FAILED, message);
  }
}
