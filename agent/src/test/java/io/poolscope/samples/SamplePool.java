package io.poolscope.samples;

import java.sql.Connection;

/**
 * A pool's inner part, as HikariCP's HikariPool: declares a getConnection, is no DataSource and, being
 * final, never will be one.
 */
public final class SamplePool {
  public Connection getConnection() {
    return null;
  }
}
