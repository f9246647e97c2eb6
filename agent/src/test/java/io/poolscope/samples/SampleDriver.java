package io.poolscope.samples;

import java.sql.Connection;
import java.util.Properties;

/** A driver as an app would bring one: declines every URL. */
public final class SampleDriver extends DriverBase {
  @Override
  public Connection connect(String url, Properties info) {
    return null;
  }
}
