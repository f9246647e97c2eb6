package io.poolscope.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PoolNamesTest {

  @Test
  void urlsBecomeHostPortDatabaseWithoutSecrets() {
    assertEquals("localhost:5432/postgres", PoolNames.fromJdbcUrl("jdbc:postgresql://localhost:5432/postgres"));
    assertEquals("db:5432/shop", PoolNames.fromJdbcUrl("jdbc:postgresql://db/shop?user=a&password=secret"));
    assertEquals("db:3307/x", PoolNames.fromJdbcUrl("jdbc:mysql://bob:secret@db:3307/x"));
    assertEquals("[::1]:5432/y", PoolNames.fromJdbcUrl("jdbc:postgresql://[::1]:5432/y"));
    assertEquals("sql:1433", PoolNames.fromJdbcUrl("jdbc:sqlserver://sql;databaseName=z;password=p"));
    assertEquals("h:1/d", PoolNames.fromJdbcUrl("jdbc:p6spy:postgresql://h:1/d"));
    assertNull(PoolNames.fromJdbcUrl("jdbc:h2:mem:test"));
  }
}
