package io.poolscope.tests.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The HikariCP pool every stub benchmark uses: large enough that no checkout ever waits. */
final class StubPools {

  static final int SIZE = 4;

  private StubPools() {}

  static HikariDataSource hikari() {
    HikariConfig config = new HikariConfig();
    config.setDriverClassName(StubDriver.class.getName());
    config.setJdbcUrl(StubDriver.URL);
    config.setPoolName("bench");
    config.setMaximumPoolSize(SIZE);
    config.setMinimumIdle(SIZE);
    return new HikariDataSource(config);
  }
}
