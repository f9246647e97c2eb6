package io.poolscope.tests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

/**
 * What an app itself printed, apart from the agent's lines: the two runs of a fault-matrix row
 * (with and without the agent) must agree on it exactly.
 */
public final class AppOutput {

  /** Printed by apps on stderr just before they exit; see {@link #exitAt}. */
  public static final String EXIT_AT = "EXIT_AT=";
  public static final String STARTED = "[poolscope] INFO poolscope ";
  public static final String SEND_WARNING = "[poolscope] WARN could not send metrics";
  /** The JVM's own line on JDKs with class data sharing once the bootstrap path is appended. */
  private static final String CDS_NOTICE = "Sharing is only supported for boot loader classes";

  private AppOutput() {}

  /** Same stdout, and the same stderr once the agent's lines and the exit stamp are left out. */
  public static void assertSameAsWithoutAgent(ChildJvm withoutAgent, ChildJvm withAgent) {
    assertEquals(withoutAgent.stdout(), withAgent.stdout(),
        () -> "stdout differs from the run without the agent\n" + withoutAgent.report()
            + withAgent.report());
    assertEquals(appStderr(withoutAgent), appStderr(withAgent),
        () -> "the app's stderr differs from the run without the agent\n" + withAgent.report());
  }

  /** Stderr without the agent's own lines, the JVM's CDS notice and the exit stamp. */
  public static List<String> appStderr(ChildJvm child) {
    return child.stderrLines().stream()
        .filter(line -> !line.startsWith("[poolscope] "))
        .filter(line -> !line.contains(CDS_NOTICE))
        .filter(line -> !line.startsWith(EXIT_AT))
        .toList();
  }

  public static long sendWarnings(ChildJvm child) {
    return child.stderrLines().stream().filter(line -> line.startsWith(SEND_WARNING)).count();
  }

  /** The agent announced itself: a run that silently lost the agent proves nothing. */
  public static void assertAgentStarted(ChildJvm child) {
    assertTrue(child.stderrLines().stream().anyMatch(line -> line.startsWith(STARTED)),
        () -> "no startup line from the agent\n" + child.report());
  }

  /**
   * {@link #assertAgentStarted} for a child still running: the agent starts its exporter, and logs
   * that line, at the app's first JDBC call, on a background thread.
   */
  public static void awaitAgentStarted(ChildJvm child) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline
        && child.stderrLines().stream().noneMatch(line -> line.startsWith(STARTED))) {
      Thread.sleep(100);
    }
    assertAgentStarted(child);
  }

  /** Heap in use after GC at the end minus at the start, from HeapApp's stderr lines. */
  public static long heapGrowth(ChildJvm child) {
    return stderrNumber(child, "HEAP_AFTER=") - stderrNumber(child, "HEAP_BEFORE=");
  }

  private static long stderrNumber(ChildJvm child, String prefix) {
    Optional<String> line =
        child.stderrLines().stream().filter(l -> l.startsWith(prefix)).findFirst();
    assertTrue(line.isPresent(), () -> "no " + prefix + " line\n" + child.report());
    return Long.parseLong(line.get().substring(prefix.length()).trim());
  }

  /** When the app's main work ended (epoch ms), from its {@value #EXIT_AT} line. */
  public static long exitAt(ChildJvm child) {
    return stderrNumber(child, EXIT_AT);
  }
}
