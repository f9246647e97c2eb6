package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ServerTest {

  private static String name(String url) {
    Server server = Server.fromJdbcUrl(url);
    return server == null ? null : server.name();
  }

  @Test
  void urlsBecomeHostPortDatabaseWithoutSecrets() {
    assertEquals("localhost:5432/postgres", name("jdbc:postgresql://localhost:5432/postgres"));
    assertEquals("db:5432/shop", name("jdbc:postgresql://db/shop?user=a&password=secret"));
    assertEquals("db:3307/x", name("jdbc:mysql://bob:secret@db:3307/x"));
    assertEquals("[::1]:5432/y", name("jdbc:postgresql://[::1]:5432/y"));
    assertEquals("sql:1433", name("jdbc:sqlserver://sql;databaseName=z;password=p"));
    assertEquals("h:1/d", name("jdbc:p6spy:postgresql://h:1/d"));
    assertNull(name("jdbc:h2:mem:test"));
  }

  @Test
  void semanticConventionParts() {
    Server server = Server.fromJdbcUrl("jdbc:sqlserver://sql:1444;databaseName=z");
    assertEquals("microsoft.sql_server", server.system());
    assertEquals("sql", server.address());
    assertEquals(1444, server.port());
    assertNull(server.database());
    assertEquals(Server.fromJdbcUrl("jdbc:postgresql://a/b?x=1"), Server.fromJdbcUrl("jdbc:postgresql://a:5432/b"));
  }
}
