package io.poolscope.tests.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;

/** The pools the stub benchmarks use: large enough that no checkout ever waits. */
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

  static DataSource tomcat() {
    PoolProperties config = new PoolProperties();
    config.setDriverClassName(StubDriver.class.getName());
    config.setUrl(StubDriver.URL);
    config.setName("bench");
    config.setMaxActive(SIZE);
    config.setInitialSize(SIZE);
    config.setMinIdle(SIZE);
    config.setMaxIdle(SIZE);
    return new DataSource(config);
  }
}
