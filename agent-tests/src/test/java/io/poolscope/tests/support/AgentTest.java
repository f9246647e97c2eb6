package io.poolscope.tests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the end-to-end tests: a fresh OTLP receiver per test, children started against it, and
 * on failure every child's output plus what the receiver got printed (see {@link ReportOnFailure}).
 */
@ExtendWith(ReportOnFailure.class)
public abstract class AgentTest {

  public static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
  /** The final export is sent before the child exits; this only covers a slow last request. */
  public static final Duration EXPORT_GRACE = Duration.ofSeconds(5);

  protected final OtlpReceiver receiver = OtlpReceiver.start();
  private final List<ChildJvm> children = new ArrayList<>();

  /** A child with the agent, exporting to this test's receiver, with the JDBC URL as first arg. */
  protected ChildJvm.Builder app(Class<?> main) {
    return ChildJvm.withAgent(receiver).main(main).args(SharedPostgres.jdbcUrl());
  }

  /** The same app without the agent: the baseline that shows the app itself works. */
  protected ChildJvm.Builder appWithoutAgent(Class<?> main) {
    return ChildJvm.withoutAgent().main(main).args(SharedPostgres.jdbcUrl());
  }

  protected ChildJvm start(ChildJvm.Builder builder) {
    ChildJvm child = builder.start();
    synchronized (children) {
      children.add(child);
    }
    return child;
  }

  /** Starts the child, waits for it and insists on exit code 0. */
  protected ChildJvm run(ChildJvm.Builder builder) {
    ChildJvm child = start(builder);
    int exitCode = child.awaitExit(CHILD_TIMEOUT);
    assertEquals(0, exitCode, () -> child.name() + " failed\n" + child.report());
    return child;
  }

  private static final Map<List<String>, ChildJvm> BASELINES = new ConcurrentHashMap<>();

  /**
   * The app run once without the agent (per test JVM, per main class and arguments), exit code 0:
   * the reference several fault-matrix runs are compared with.
   */
  protected ChildJvm baselineWithoutAgent(Class<?> main, String... args) {
    List<String> key = new ArrayList<>(List.of(main.getName()));
    key.addAll(List.of(args));
    ChildJvm cached = BASELINES.get(key);
    if (cached == null) {
      cached = run(appWithoutAgent(main).args((Object[]) args));
      BASELINES.put(key, cached);
    }
    return cached;
  }

  /** Everything the agent reported, once {@code metric} satisfies {@code condition} (or time is up). */
  protected MetricQuery poolscopeMetrics(String metric, Predicate<MetricQuery> condition) {
    return receiver.awaitMetric(metric, q -> condition.test(q.poolscope()), EXPORT_GRACE).poolscope();
  }

  List<ChildJvm> children() {
    synchronized (children) {
      return List.copyOf(children);
    }
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }
}
