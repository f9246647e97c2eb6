package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.AppOutput.assertSameAsWithoutAgent;
import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.OwnByteBuddyApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An app with its own, older Byte Buddy generates classes with it while poolscope's relocated Byte
 * Buddy instruments the same JVM: both work, and the app prints what it prints without the agent.
 *
 * <p>The jar: {@code -Dapp.bytebuddy.jar=...} (the build copies byte-buddy
 * {@code app.bytebuddy.version} for it), else the newest 1.14.x or 1.15.x byte-buddy jar in the
 * local Maven repository; skipped when there is none.
 */
@FaultMatrix
class OwnByteBuddyTest extends AgentTest {

  @Test
  void appsOwnByteBuddyAndPoolscopeBothWork() {
    Optional<Path> jar = appByteBuddyJar();
    Assumptions.assumeTrue(jar.isPresent(), "no byte-buddy 1.14.x/1.15.x jar in the local Maven"
        + " repository and no -Dapp.bytebuddy.jar: skipping the app-bundles-Byte-Buddy test");
    String done = "DONE generated=made by the app's own Byte Buddy from="
        + jar.get().getFileName() + " checkouts=20";

    ChildJvm baseline = run(appWithoutAgent(OwnByteBuddyApp.class).args(jar.get()));
    assertTrue(baseline.stdout().contains(done), baseline::report);
    ChildJvm child = run(app(OwnByteBuddyApp.class).args(jar.get()));
    assertAgentStarted(child);
    assertSameAsWithoutAgent(baseline, child);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 20);
    assertCheckouts(metrics, OwnByteBuddyApp.POOL, 20);
    assertNoneUsed(metrics, OwnByteBuddyApp.POOL);
  }

  static Optional<Path> appByteBuddyJar() {
    String configured = System.getProperty("app.bytebuddy.jar");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Paths.get(configured)).filter(Files::isRegularFile);
    }
    Path repository = Paths.get(System.getProperty("maven.repo.local",
        Paths.get(System.getProperty("user.home"), ".m2", "repository").toString()));
    Path versions = repository.resolve(Paths.get("net", "bytebuddy", "byte-buddy"));
    if (!Files.isDirectory(versions)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(versions)) {
      return dirs.filter(dir -> dir.getFileName().toString().matches("1\\.1[45]\\.\\d+"))
          .map(dir -> dir.resolve("byte-buddy-" + dir.getFileName() + ".jar"))
          .filter(Files::isRegularFile)
          .max(Comparator.comparing(OwnByteBuddyTest::versionKey));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** 1.14.9 before 1.14.18: numeric, zero-padded. */
  private static String versionKey(Path jar) {
    String[] parts = jar.getParent().getFileName().toString().split("\\.");
    StringBuilder key = new StringBuilder();
    for (String part : parts) {
      key.append(String.format("%05d", Integer.parseInt(part)));
    }
    return key.toString();
  }
}
