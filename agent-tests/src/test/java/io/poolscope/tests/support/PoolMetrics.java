package io.poolscope.tests.support;

import java.util.Set;

/** Names from the agent's metric contract (OpenTelemetry database semconv), spelled once. */
public final class PoolMetrics {

  private PoolMetrics() {}

  public static final String COUNT = "db.client.connection.count";
  public static final String PENDING = "db.client.connection.pending_requests";
  public static final String TIMEOUTS = "db.client.connection.timeouts";
  public static final String WAIT_TIME = "db.client.connection.wait_time";
  public static final String USE_TIME = "db.client.connection.use_time";
  public static final String ERRORS = "poolscope.connection.errors";
  public static final String ABANDONED = "poolscope.connection.abandoned";

  /**
   * The per-pool metrics of the contract: each point carries a pool name. The agent may report
   * more (server-level or extra metrics); pool-name checks look at these only.
   */
  public static final Set<String> PER_POOL =
      Set.of(COUNT, PENDING, TIMEOUTS, WAIT_TIME, USE_TIME, ERRORS, ABANDONED);

  public static final String POOL_NAME = "db.client.connection.pool.name";
  public static final String STATE = "db.client.connection.state";
  public static final String ERROR_TYPE = "error.type";

  /** Where pools beyond {@code poolscope.pools.max} are counted. */
  public static final String OTHER_POOL = "_OTHER";

  /** Names before semconv 1.26, emitted too with {@code otel.semconv-stability.opt-in=database/dup}. */
  public static final class Old {
    private Old() {}

    public static final String USAGE = "db.client.connections.usage";
    public static final String PENDING = "db.client.connections.pending_requests";
    public static final String TIMEOUTS = "db.client.connections.timeouts";
    public static final String WAIT_TIME = "db.client.connections.wait_time";
    public static final String USE_TIME = "db.client.connections.use_time";
    /**
   * The per-pool metrics of the contract: each point carries a pool name. The agent may report
   * more (server-level or extra metrics); pool-name checks look at these only.
   */
  public static final Set<String> PER_POOL =
      Set.of(COUNT, PENDING, TIMEOUTS, WAIT_TIME, USE_TIME, ERRORS, ABANDONED);

  public static final String POOL_NAME = "pool.name";
    public static final String STATE = "state";
  }
}
