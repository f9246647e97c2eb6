package io.poolscope.tests.apps;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.beans.PropertyVetoException;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import org.postgresql.ds.PGSimpleDataSource;

/** Builds each kind of DataSource the workload can run against, configured the same way. */
final class Pools {

  private Pools() {}

  /** A DataSource and how to shut it down; unpooled ones have nothing to close. */
  record Pool(DataSource dataSource, AutoCloseable closer) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      closer.close();
    }
  }

  /**
   * @param kind hikari, dbcp2, c3p0, tomcat or pgsimple (PGSimpleDataSource, unpooled)
   * @param name pool name, only HikariCP has one a user sets; null for the pool's default
   */
  static Pool create(String kind, String url, int maxSize, String name) throws Exception {
    return switch (kind) {
      case "hikari" -> hikariPool(url, maxSize, name);
      case "dbcp2" -> dbcp2(url, maxSize);
      case "c3p0" -> c3p0(url, maxSize);
      case "tomcat" -> tomcat(url, maxSize);
      case "pgsimple" -> {
        PGSimpleDataSource ds = pgSimple(url);
        yield new Pool(ds, () -> {});
      }
      default -> throw new IllegalArgumentException("unknown pool kind " + kind);
    };
  }

  /**
   * A pool that opens {@code size} connections and keeps them (initial = minimum = maximum), or for
   * {@code homemade} the test's own pool, or for {@code pgsimple} no pool at all.
   */
  static Pool full(String kind, String url, int size, String name) throws Exception {
    switch (kind) {
      case "hikari" -> {
        // minimumIdle defaults to maximumPoolSize: a fixed-size pool, filled on HikariCP's threads
        return hikariPool(url, size, name);
      }
      case "dbcp2" -> {
        BasicDataSource ds = basicDataSource(url, size);
        ds.setInitialSize(size);
        ds.setMinIdle(size);
        return new Pool(ds, ds::close);
      }
      case "c3p0" -> {
        ComboPooledDataSource ds = comboPooledDataSource(url, size);
        ds.setInitialPoolSize(size);
        ds.setMinPoolSize(size);
        return new Pool(ds, ds::close);
      }
      case "tomcat" -> {
        PoolProperties properties = tomcatProperties(url, size);
        properties.setInitialSize(size);
        properties.setMinIdle(size);
        return tomcatPool(properties);
      }
      case "homemade" -> {
        HomeMadePool ds = new HomeMadePool(url, size, name);
        return new Pool(ds, ds::close);
      }
      default -> {
        return create(kind, url, size, name);
      }
    }
  }

  static HikariDataSource hikari(String url, int maxSize, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(AppMain.USER);
    config.setMaximumPoolSize(maxSize);
    if (name != null) {
      config.setPoolName(name);
    }
    return new HikariDataSource(config);
  }

  static PGSimpleDataSource pgSimple(String url) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    ds.setUser(AppMain.USER);
    return ds;
  }

  private static Pool hikariPool(String url, int maxSize, String name) {
    HikariDataSource ds = hikari(url, maxSize, name);
    return new Pool(ds, ds::close);
  }

  private static Pool dbcp2(String url, int maxSize) {
    BasicDataSource ds = basicDataSource(url, maxSize);
    return new Pool(ds, ds::close);
  }

  private static BasicDataSource basicDataSource(String url, int maxSize) {
    BasicDataSource ds = new BasicDataSource();
    ds.setUrl(url);
    ds.setUsername(AppMain.USER);
    ds.setMaxTotal(maxSize);
    ds.setMaxIdle(maxSize);
    return ds;
  }

  private static Pool c3p0(String url, int maxSize) throws PropertyVetoException {
    ComboPooledDataSource ds = comboPooledDataSource(url, maxSize);
    ds.setMinPoolSize(1);
    ds.setInitialPoolSize(1);
    return new Pool(ds, ds::close);
  }

  private static ComboPooledDataSource comboPooledDataSource(String url, int maxSize)
      throws PropertyVetoException {
    ComboPooledDataSource ds = new ComboPooledDataSource();
    ds.setDriverClass("org.postgresql.Driver");
    ds.setJdbcUrl(url);
    ds.setUser(AppMain.USER);
    ds.setMaxPoolSize(maxSize);
    return ds;
  }

  private static Pool tomcat(String url, int maxSize) {
    PoolProperties properties = tomcatProperties(url, maxSize);
    properties.setMinIdle(0);
    properties.setInitialSize(0);
    return tomcatPool(properties);
  }

  private static PoolProperties tomcatProperties(String url, int maxSize) {
    PoolProperties properties = new PoolProperties();
    properties.setUrl(url);
    properties.setDriverClassName("org.postgresql.Driver");
    properties.setUsername(AppMain.USER);
    properties.setMaxActive(maxSize);
    properties.setMaxIdle(maxSize);
    return properties;
  }

  private static Pool tomcatPool(PoolProperties properties) {
    org.apache.tomcat.jdbc.pool.DataSource ds = new org.apache.tomcat.jdbc.pool.DataSource(properties);
    return new Pool(ds, () -> ds.close(true));
  }
}
