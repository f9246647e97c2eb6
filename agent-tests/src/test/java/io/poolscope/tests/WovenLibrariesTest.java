package io.poolscope.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.LibrariesApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every class of pgjdbc and of the four pools, loaded and linked with the agent: linking runs the
 * JVM's verifier over each class, so a method the agent wove badly would fail with a VerifyError,
 * even in the classes the other tests never call. The same classes must load and link as without
 * the agent, the classes users rely on must be among those woven, and statements' getConnection
 * must not. A fault-matrix row: it runs on
 * JDK 25 too.
 */
@FaultMatrix
class WovenLibrariesTest extends AgentTest {

  private static final Object[] ARGS = {
    "link", "postgresql-", "HikariCP-", "commons-dbcp2-", "commons-pool2-", "c3p0-",
    "mchange-commons-java-", "tomcat-jdbc-"
  };

  private static final String WOVEN = "[poolscope] INFO woven ";

  @Test
  void everyClassOfTheDriverAndThePoolsLinksAsWithoutTheAgent() {
    ChildJvm baseline = run(ChildJvm.withoutAgent().main(LibrariesApp.class).args(ARGS));
    ChildJvm child = run(ChildJvm.withAgent(receiver).main(LibrariesApp.class).args(ARGS)
        .property("poolscope.debug", "true"));

    String linked = resultLine(child);
    assertTrue(linked.endsWith(" verifyErrors=0"), child::report);
    assertEquals(resultLine(baseline), linked, child::report);

    Set<String> woven = child.stderrLines().stream()
        .filter(line -> line.startsWith(WOVEN))
        .map(line -> line.substring(WOVEN.length()))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> relied = Set.of(
        "org.postgresql.Driver",
        "org.postgresql.jdbc.PgConnection",
        "org.postgresql.ds.common.BaseDataSource",
        "com.zaxxer.hikari.HikariDataSource",
        "com.zaxxer.hikari.pool.ProxyConnection",
        "org.apache.commons.dbcp2.BasicDataSource",
        "org.apache.commons.dbcp2.DelegatingConnection",
        "com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource",
        "com.mchange.v2.c3p0.impl.AbstractNewProxyConnection",
        "org.apache.tomcat.jdbc.pool.DataSourceProxy");
    assertTrue(woven.containsAll(relied), () -> "woven: " + woven + "\n" + child.report());
    // their getConnection hands out the connection they belong to: no checkout to track
    Set<String> holders = Set.of(
        "org.postgresql.jdbc.PgStatement",
        "org.postgresql.jdbc.PgDatabaseMetaData",
        "org.postgresql.ds.PGPooledConnection",
        "com.zaxxer.hikari.pool.ProxyStatement",
        "org.apache.commons.dbcp2.DelegatingStatement");
    assertTrue(woven.stream().noneMatch(holders::contains), () -> "woven: " + woven);
    List<String> failures = child.stderrLines().stream()
        .filter(line -> line.contains("could not instrument"))
        .collect(Collectors.toList());
    assertEquals(List.of(), failures, child::report);
  }

  private static String resultLine(ChildJvm child) {
    return child.stdout().lines().filter(line -> line.startsWith("LIBRARIES ")).findFirst()
        .orElseThrow(() -> new AssertionError("no LIBRARIES line\n" + child.report()));
  }
}
