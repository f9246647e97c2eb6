package io.poolscope.samples;

import java.sql.Connection;

/**
 * Declares a getConnection without being a DataSource, but a subclass may be one (as tomcat-jdbc's
 * DataSourceProxy): woven all the same (see JdbcInstrumentation).
 */
public class SampleSource {
  public Connection getConnection() {
    return null;
  }
}
