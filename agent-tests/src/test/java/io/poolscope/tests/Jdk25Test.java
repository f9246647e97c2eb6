package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The newest JDK here: class-file version and JDK internals move under an agent's feet. */
class Jdk25Test extends AgentTest {

  @Test
  void hikariWorkloadOnTemurin25() {
    Optional<Path> java = ChildJvm.temurin25OrSkip();

    ChildJvm child = run(app(CheckoutWorkload.class).java(java.get())
        .args("pool=hikari", "threads=3", "checkouts=100", "holdMs=2", "max=2", "name=jdk25-pool"));
    assertTrue(child.stdout().contains("DONE checkouts=300"), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 300);
    assertCheckouts(metrics, "jdk25-pool", 300);
    assertNoneUsed(metrics, "jdk25-pool");
    String runtimeVersion = metrics.resources().get(0).get("process.runtime.version");
    assertTrue(runtimeVersion != null && runtimeVersion.startsWith("25"),
        () -> "process.runtime.version " + runtimeVersion);
    assertEquals(1, metrics.resources().size(), () -> "resources " + metrics.resources());
  }
}
