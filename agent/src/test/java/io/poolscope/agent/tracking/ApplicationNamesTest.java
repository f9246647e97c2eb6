package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ApplicationNamesTest {

  @Test
  void longServiceNamesAreCutSoThePidSurvivesWithin63Bytes() {
    String name = ApplicationNames.expand("{service}-{pid}", "é".repeat(100), 1234567);
    // 27 two-byte characters fit beside the 8-byte pid suffix; a 28th would make 64 bytes
    assertEquals("é".repeat(27) + "-1234567", name);
    assertEquals(62, name.getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void offLeavesPropertiesAlone() {
    Properties info = new Properties();
    ApplicationNames off = new ApplicationNames("off", "shop", 1);
    assertNull(off.name());
    assertSame(info, off.apply("jdbc:postgresql://h/d", info));
  }

  @Test
  void theDriversDefaultNameInAUrlIsReplacedButAnAppsOwnIsKept() {
    ApplicationNames names = new ApplicationNames("{service}-{pid}", "shop floor", 7);
    // what PGSimpleDataSource.getUrl() hands DriverManager when the app set no name
    assertEquals("jdbc:postgresql://h/d?a=1&ApplicationName=shop+floor-7&b=2",
        names.applyToUrl("jdbc:postgresql://h/d?a=1&ApplicationName=PostgreSQL+JDBC+Driver&b=2"));
    String own = "jdbc:postgresql://h/d?ApplicationName=billing";
    assertSame(own, names.applyToUrl(own));
    String none = "jdbc:postgresql://h/d";
    assertSame(none, names.applyToUrl(none));
    String mysql = "jdbc:mysql://h/d?ApplicationName=PostgreSQL+JDBC+Driver";
    assertSame(mysql, names.applyToUrl(mysql));
  }

  @Test
  void onlyPostgresUrlsAreNamed() {
    Properties info = new Properties();
    assertSame(info, new ApplicationNames("{service}", "shop", 1).apply("jdbc:mysql://h/d", info));
  }
}
