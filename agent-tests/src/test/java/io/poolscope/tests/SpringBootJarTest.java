package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.poolscope.tests.apps.BootJarApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.BootJar;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.SharedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -javaagent:poolscope-agent.jar -jar app.jar} on a Spring Boot executable jar: the
 * pool and the driver are classes of nested jars, loaded by Spring Boot's LaunchedClassLoader
 * through its {@code nested:} URLs. The checkouts are counted exactly under the pool's own name, and
 * the service is named after the jar.
 */
@FaultMatrix
class SpringBootJarTest extends AgentTest {

  private static final int CHECKOUTS = 50;
  private static final String JAR_NAME = "poolscope-boot-app";

  @TempDir
  Path dir;

  @Test
  void metricsArriveFromASpringBootJar() {
    Path jar = BootJar.build(dir.resolve(JAR_NAME + ".jar"), BootJarApp.class, List.of(
        HikariDataSource.class, org.postgresql.Driver.class, org.slf4j.LoggerFactory.class,
        org.slf4j.simple.SimpleLogger.class));
    ChildJvm child = run(ChildJvm.withAgent(receiver).jar(jar)
        .property("org.slf4j.simpleLogger.defaultLogLevel", "warn")
        .args(SharedPostgres.jdbcUrl(), CHECKOUTS, 600));
    assertAgentStarted(child);

    // the run really went through the nested jars
    String out = child.stdout();
    assertTrue(out.contains("LOADER org.springframework.boot.loader.launch.LaunchedClassLoader"),
        child::report);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("HIKARI FROM ")
        && l.contains(JAR_NAME + ".jar") && l.contains("BOOT-INF/lib/HikariCP")), child::report);
    assertTrue(out.contains("DONE checkouts=" + CHECKOUTS), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == CHECKOUTS);
    assertPoolNames(metrics, Set.of(BootJarApp.POOL));
    assertCheckouts(metrics, BootJarApp.POOL, CHECKOUTS);
    assertNoneUsed(metrics, BootJarApp.POOL);
    List<Map<String, String>> resources = metrics.resources();
    assertEquals(1, resources.size(), () -> "resources " + resources);
    assertEquals(JAR_NAME, resources.get(0).get("service.name"), () -> "resource " + resources);
  }
}
