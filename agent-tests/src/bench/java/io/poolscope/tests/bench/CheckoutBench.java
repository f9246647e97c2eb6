package io.poolscope.tests.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.tomcat.jdbc.pool.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One checkout cycle, getConnection then close, on the in-memory {@link StubDriver}: what a pool and
 * an agent cost per checkout, with no database in the figure. Which agent the fork carries, and how
 * many threads run, {@link JmhSection} decides; the benchmarks themselves never change.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CheckoutBench {

  /** One HikariCP pool shared by all benchmark threads, as in an app. */
  @State(Scope.Benchmark)
  public static class Pooled {
    HikariDataSource pool;

    @Setup(Level.Trial)
    public void open() {
      pool = StubPools.hikari();
    }

    @TearDown(Level.Trial)
    public void close() {
      pool.close();
    }
  }

  /**
   * A tomcat-jdbc pool, whose DataSource inherits getConnection from a base class that is none, and
   * whose getConnection calls its ConnectionPool's (neither final): not in the suite's table, run by
   * hand (BENCHMARKS.md, step 20).
   */
  @State(Scope.Benchmark)
  public static class Tomcat {
    DataSource pool;

    @Setup(Level.Trial)
    public void open() {
      pool = StubPools.tomcat();
    }

    @TearDown(Level.Trial)
    public void close() {
      pool.close();
    }
  }

  /**
   * A pool's inner part that is no DataSource yet not final, like tomcat-jdbc's ConnectionPool: its
   * getConnection carries poolscope's advice, whose hooks find no DataSource. Run by hand (step 20).
   */
  @State(Scope.Thread)
  public static class InnerPool {
    Connection connection;

    public Connection getConnection() {
      return connection;
    }
  }

  /** A driver-style DataSource: a new physical connection per checkout. */
  @State(Scope.Benchmark)
  public static class Unpooled {
    final StubDataSource dataSource = new StubDataSource();
  }

  /**
   * A thread's caches after a database round trip: the other threads and the server's processes have
   * run in between, so what a checkout touches is no longer in L1 or L2. Writing 2 MiB (twice this
   * machine's L2 per core) before each cycle, outside the measured time, puts the cycle there.
   */
  @State(Scope.Thread)
  public static class Evicted {
    private final long[] junk = new long[1 << 18];

    @Setup(Level.Invocation)
    public void evict() {
      for (int i = 0; i < junk.length; i += 8) {
        junk[i]++;
      }
    }
  }

  /**
   * A load thread's state after a database round trip, closer than {@link Evicted}: the thread has
   * slept (a context switch, as on a socket read) and other code has run (a tree map's churn), then
   * 2 MiB are written. Branch predictors and instruction caches are cold too, not only data.
   */
  @State(Scope.Thread)
  public static class Parked {
    private final Random random = new Random(1);
    private final TreeMap<Integer, String> map = new TreeMap<>();
    private final Evicted caches = new Evicted();

    @Setup(Level.Invocation)
    public void park() {
      LockSupport.parkNanos(50_000);
      for (int i = 0; i < 200; i++) {
        int k = random.nextInt(1000);
        if (map.remove(k) == null) {
          map.put(k, Integer.toHexString(k));
        }
      }
      caches.evict();
    }
  }

  /** The cycle after {@link Parked}: run by hand (BENCHMARKS.md, step 28). */
  @Benchmark
  public Connection pooledParked(Pooled state, Parked parked) throws SQLException {
    return pooled(state);
  }

  /** Returns the closed connection so it escapes, as a real one does: no cycle is optimised away. */
  @Benchmark
  public Connection pooled(Pooled state) throws SQLException {
    Connection connection = state.pool.getConnection();
    connection.close();
    return connection;
  }

  /**
   * The same cycle with cold caches: what an agent costs per checkout when each of the lines it
   * touches must come from L3 or memory, as in {@link PgLoadApp}. Timed per invocation (JMH reads
   * the clock around each), which costs all variants the same.
   */
  @Benchmark
  public Connection pooledEvicted(Pooled state, Evicted caches) throws SQLException {
    return pooled(state);
  }

  @Benchmark
  public Connection tomcat(Tomcat state) throws SQLException {
    Connection connection = state.pool.getConnection();
    connection.close();
    return connection;
  }

  @Benchmark
  public Connection innerPool(InnerPool state) {
    return state.getConnection();
  }

  @Benchmark
  public Connection unpooled(Unpooled state) throws SQLException {
    Connection connection = state.dataSource.getConnection();
    connection.close();
    return connection;
  }

  /** The clock every checkout reads: the unit the per-checkout budget is counted in. */
  @Benchmark
  public long nanoTime() {
    return System.nanoTime();
  }
}
