package io.poolscope.samples;

import java.sql.Driver;
import java.util.Properties;

/** Calls connect and close but declares neither: nothing to instrument. */
public final class Caller {
  Object call(Driver driver, AutoCloseable closeable) throws Exception {
    closeable.close();
    return driver.connect("jdbc:x:", new Properties());
  }
}
