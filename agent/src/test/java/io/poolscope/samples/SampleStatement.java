package io.poolscope.samples;

import java.sql.Connection;
import java.sql.Statement;

/** A statement's getConnection hands back the connection it belongs to: no checkout, left alone. */
public abstract class SampleStatement implements Statement {
  @Override
  public Connection getConnection() {
    return null;
  }
}
