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
  public static final String LEAKS = "poolscope.connection.leaks";
  /** Hold time by borrow call site (sampled checkouts); the pool total is {@link #USE_TIME}. */
  public static final String SITE_USE_TIME = "poolscope.connection.use_time";
  public static final String OLDEST_CHECKOUT_AGE = "poolscope.connection.oldest_checkout.age";

  /**
   * The per-pool metrics of the contract: each point carries a pool name. The agent may report
   * more (server-level or extra metrics); pool-name checks look at these only.
   */
  public static final Set<String> PER_POOL =
      Set.of(COUNT, PENDING, TIMEOUTS, WAIT_TIME, USE_TIME, ERRORS, ABANDONED);

  public static final String POOL_NAME = "db.client.connection.pool.name";
  public static final String STATE = "db.client.connection.state";
  public static final String ERROR_TYPE = "error.type";
  /** The borrow call site: {@code class.method}, file name, line. */
  public static final String CODE_FUNCTION = "code.function.name";
  public static final String CODE_FILE = "code.file.path";
  public static final String CODE_LINE = "code.line.number";
  /** Call sites beyond {@code poolscope.callsite.max}. */
  public static final String OTHER_SITE = "other";

  /** Where pools beyond {@code poolscope.pools.max} are counted. */
  public static final String OTHER_POOL = "_OTHER";

  // ---- physical connections and the server's view
  /** Open physical connections of this process: what the database server sees from it. */
  public static final String PHYSICAL = "poolscope.connection.physical.count";
  public static final String CREATE_TIME = "db.client.connection.create_time";
  public static final String CREATE_ERRORS = "poolscope.connection.create_errors";
  public static final String SERVER_LIMIT = "poolscope.server.connection.limit";
  public static final String MAX = "db.client.connection.max";
  public static final String IDLE_MAX = "db.client.connection.idle.max";
  public static final String IDLE_MIN = "db.client.connection.idle.min";
  /** {@code false} on physical connections the app opened without a pool. */
  public static final String POOLED = "poolscope.pooled";
  public static final String DB_SYSTEM = "db.system.name";
  public static final String SERVER_ADDRESS = "server.address";
  public static final String SERVER_PORT = "server.port";
  public static final String DB_NAMESPACE = "db.namespace";
  /** Physical connections a pool opened on its own threads, before it is known which pool. */
  public static final String UNKNOWN_POOL = "_UNKNOWN";

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
