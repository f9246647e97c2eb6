package io.poolscope.agent.tracking;

import java.lang.ref.ReferenceQueue;

/** A connection a driver opened: one the database server sees. Held weakly. */
public final class PhysicalConnection extends IdentityRef {

  /** The server, or null where the URL does not name one. */
  final Server server;

  final long createNanos;

  /** The server's process for this connection (PostgreSQL), or -1. */
  final long backendPid;

  /** Opened by a pool filling itself (not by the app directly). */
  final boolean poolOwned;

  /** The pool holding it; null until known for connections a pool opened on its own threads. */
  volatile PoolStats pool;

  PhysicalConnection(
      Object connection,
      ReferenceQueue<Object> queue,
      Server server,
      long createNanos,
      long backendPid,
      boolean poolOwned,
      PoolStats pool) {
    super(connection, queue);
    this.server = server;
    this.createNanos = createNanos;
    this.backendPid = backendPid;
    this.poolOwned = poolOwned;
    this.pool = pool;
  }

  /** The pool holding it, or null while unknown. */
  public PoolStats pool() {
    return pool;
  }

  public Server server() {
    return server;
  }

  public boolean poolOwned() {
    return poolOwned;
  }

  /** The server's process for this connection (PostgreSQL), or -1. */
  public long backendPid() {
    return backendPid;
  }
}
