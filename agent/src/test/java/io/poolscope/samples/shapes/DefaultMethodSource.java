package io.poolscope.samples.shapes;

import java.sql.Connection;

/** An interface's default getConnection: interfaces are never woven, their implementations are. */
public interface DefaultMethodSource {

  default Connection getConnection() {
    return new StubConnection("default");
  }
}
