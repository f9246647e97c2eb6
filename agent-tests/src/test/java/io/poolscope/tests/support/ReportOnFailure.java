package io.poolscope.tests.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints each child's command, stdout and stderr and the latest received series when a test fails:
 * with child JVMs, the assertion message alone rarely says why.
 */
public final class ReportOnFailure implements TestWatcher {

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    Object instance = context.getTestInstance().orElse(null);
    if (!(instance instanceof AgentTest test)) {
      return;
    }
    StringBuilder report = new StringBuilder()
        .append("==== ").append(context.getDisplayName()).append(" failed: ").append(cause)
        .append('\n');
    for (ChildJvm child : test.children()) {
      report.append(child.report());
    }
    report.append("---- received: ").append(test.receiver.exportCount()).append(" metric exports")
        .append(", other requests ").append(test.receiver.otherRequests()).append('\n')
        .append(test.receiver.metrics().describe()).append('\n');
    // one write, so parallel test classes do not interleave their reports
    System.err.print(report);
  }
}
