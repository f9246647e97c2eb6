package io.poolscope.samples;

import java.sql.Connection;

/** Declares a getConnection without being a DataSource: woven all the same (see JdbcInstrumentation). */
public final class SampleSource {
  public Connection getConnection() {
    return null;
  }
}
