package io.poolscope.agent.tracking;

/** What a DataSource is to the checkouts that pass through it. */
enum Role {
  /** Pools, or wraps something that does: a depth-0 call is a checkout, attributed to the deepest pool. */
  POOL,
  /** A JDBC driver's own DataSource: each call opens a physical connection ("no pool"). */
  DRIVER,
  /** A driver DataSource a pool uses to fill itself: its calls are not checkouts. */
  PROVIDER
}
