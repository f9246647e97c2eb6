package io.poolscope.agent.tracking;

import java.lang.ref.WeakReference;

/** One DataSource instance seen by the hooks; held weakly so a dropped DataSource can be collected. */
final class DataSourceEntry extends WeakReference<Object> {

  /** Starts as classified; a driver DataSource found inside a pool's getConnection becomes a provider. */
  volatile Role role;

  /** The pool its checkouts count in, assigned at its first checkout. */
  volatile PoolStats pool;

  DataSourceEntry(Object dataSource, Role role) {
    super(dataSource);
    this.role = role;
  }
}
