package io.poolscope.tests.support;

import static io.poolscope.tests.support.PoolMetrics.DB_NAMESPACE;
import static io.poolscope.tests.support.PoolMetrics.DB_SYSTEM;
import static io.poolscope.tests.support.PoolMetrics.PHYSICAL;
import static io.poolscope.tests.support.PoolMetrics.POOLED;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.SERVER_ADDRESS;
import static io.poolscope.tests.support.PoolMetrics.SERVER_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One process's open physical connections seen from both ends, the way a user lines them up: what
 * poolscope exported last from that {@code process.pid} (all its physical-count series added up,
 * whatever pool name they carry; a series that dropped out counts 0), and how many connections
 * {@code pg_stat_activity} shows under the application_name poolscope gave them
 * ({@code service-pid}).
 *
 * <p>Only exports collected after the app printed {@code READY at=EPOCH_MS} count: before that it
 * was still opening or checking out. Exports are decoded once each, as they arrive, so polling
 * stays cheap while several children export every 200 ms.
 */
public final class ProcessConnections {

  /** Both readings at one moment; -1 for an export not yet received. */
  public record Counts(long exported, long server) {
    public static Counts both(long n) {
      return new Counts(n, n);
    }
  }

  private final OtlpReceiver receiver;
  private final ChildJvm child;
  private final String service;
  private final long readyAtMillis;
  private final List<MetricQuery> exports = new ArrayList<>();
  private int exportsRead;

  private ProcessConnections(
      OtlpReceiver receiver, ChildJvm child, String service, long readyAtMillis) {
    this.receiver = receiver;
    this.child = child;
    this.service = service;
    this.readyAtMillis = readyAtMillis;
  }

  /** Waits for the app's {@code READY at=} line. */
  public static ProcessConnections whenReady(
      OtlpReceiver receiver, ChildJvm child, String service, Duration timeout) {
    long readyAt = ControlDir.epochMillis(child.awaitStdoutLine("READY at=", timeout));
    return new ProcessConnections(receiver, child, service, readyAt);
  }

  public ChildJvm child() {
    return child;
  }

  public String service() {
    return service;
  }

  /** poolscope's default ApplicationName for this process. */
  public String applicationName() {
    return service + "-" + child.pid();
  }

  /** This process's exports collected after READY, in arrival order. */
  public synchronized List<MetricQuery> exports() {
    List<ExportMetricsServiceRequest> received = receiver.metricExports();
    for (; exportsRead < received.size(); exportsRead++) {
      MetricQuery export =
          MetricQuery.ofExport(exportsRead, received.get(exportsRead)).poolscope().ofProcess(child.pid());
      if (!export.isEmpty() && collectedAtNanos(export) > readyAtMillis * 1_000_000) {
        exports.add(export);
      }
    }
    return List.copyOf(exports);
  }

  /** The last export after READY; empty before one arrived. */
  public MetricQuery lastExport() {
    List<MetricQuery> all = exports();
    return all.isEmpty() ? MetricQuery.of(List.of()) : all.get(all.size() - 1);
  }

  /** Physical connections in the last export after READY, or -1 before one arrived. */
  public long exported() {
    MetricQuery last = lastExport();
    return last.isEmpty() ? -1 : (long) last.metric(PHYSICAL).sumValues();
  }

  public long onServer() {
    return SharedPostgres.connectionsOf(applicationName());
  }

  public Counts counts() {
    return new Counts(exported(), onServer());
  }

  /** Polls until both ends show {@code expected}; returns the last reading either way. */
  public Counts await(long expected, Duration timeout) {
    return poll(this::counts, counts -> counts.equals(Counts.both(expected)), timeout);
  }

  /** Polls until the server shows {@code expected}, e.g. 0 once the process is gone. */
  public long awaitOnServer(long expected, Duration timeout) {
    return poll(this::onServer, count -> count == expected, timeout);
  }

  /**
   * Polls until the last export satisfies {@code condition}; returns that export either way, so
   * the caller's assertions show the real numbers.
   */
  public MetricQuery awaitLastExport(Predicate<MetricQuery> condition, Duration timeout) {
    return poll(this::lastExport, condition, timeout);
  }

  /**
   * The first export collected after {@code epochMillis} (when the app had finished closing or
   * opening connections) already shows {@code expected}, and was collected within one export
   * interval of it plus {@code slack} for a busy machine. Returns that export.
   */
  public MetricQuery assertNextExportShows(long epochMillis, long expected, Duration slack) {
    long intervalMillis = Long.parseLong(ChildJvm.EXPORT_INTERVAL_MILLIS);
    long afterNanos = (epochMillis + 1) * 1_000_000;
    Optional<MetricQuery> next = poll(
        () -> exports().stream().filter(e -> collectedAtNanos(e) > afterNanos).findFirst(),
        Optional::isPresent, Duration.ofMillis(intervalMillis).plus(slack).multipliedBy(2));
    assertTrue(next.isPresent(), () -> "no export after " + epochMillis + "\n" + describe());
    long delayMillis = collectedAtNanos(next.get()) / 1_000_000 - epochMillis;
    assertTrue(delayMillis <= intervalMillis + slack.toMillis(),
        () -> service + ": first export after " + epochMillis + " collected " + delayMillis
            + " ms later");
    assertEquals(expected, (long) next.get().metric(PHYSICAL).sumValues(),
        () -> service + ": physical connections in the first export after " + epochMillis + "\n"
            + next.get().describe());
    return next.get();
  }

  /**
   * Some export collected within one interval plus {@code slack} after {@code epochMillis} counts
   * {@code expected} physical connections: for pools that close their connections on their own
   * threads after {@code close()} returned (c3p0), where the very next export may be early.
   */
  public MetricQuery assertExportWithinIntervalShows(long epochMillis, long expected, Duration slack) {
    long intervalMillis = Long.parseLong(ChildJvm.EXPORT_INTERVAL_MILLIS);
    long afterNanos = (epochMillis + 1) * 1_000_000;
    long byNanos = afterNanos + (intervalMillis + slack.toMillis()) * 1_000_000;
    Predicate<MetricQuery> inWindow =
        e -> collectedAtNanos(e) > afterNanos && collectedAtNanos(e) <= byNanos;
    Optional<MetricQuery> shows = poll(
        () -> exports().stream().filter(inWindow)
            .filter(e -> (long) e.metric(PHYSICAL).sumValues() == expected).findFirst(),
        Optional::isPresent, Duration.ofMillis(intervalMillis).plus(slack).multipliedBy(2));
    assertTrue(shows.isPresent(), () -> service + ": no export within " + intervalMillis + " ms + "
        + slack.toMillis() + " ms after " + epochMillis + " shows " + expected
        + " physical connections\n" + describe());
    return shows.get();
  }

  /** The server attributes of every series about the shared PostgreSQL. */
  public static Map<String, String> serverAttributes() {
    return Map.of(DB_SYSTEM, "postgresql", SERVER_ADDRESS, "localhost",
        SERVER_PORT, String.valueOf(SharedPostgres.port()), DB_NAMESPACE, "postgres");
  }

  /** The attributes of a physical-count series of {@code pool} on the shared PostgreSQL. */
  public static Map<String, String> physicalAttributes(String pool, boolean pooled) {
    Map<String, String> attributes = new TreeMap<>(serverAttributes());
    attributes.put(POOL_NAME, pool);
    attributes.put(POOLED, String.valueOf(pooled));
    return attributes;
  }

  /** When an export was collected: the agent stamps all its points with one time. */
  public static long collectedAtNanos(MetricQuery export) {
    return export.points().stream().mapToLong(DataPoint::timeUnixNano).max().orElse(0);
  }

  /** For failure messages: the process, and its last export's physical series. */
  public String describe() {
    return service + " (pid " + child.pid() + ", application_name " + applicationName()
        + ", server backends " + SharedPostgres.backendPids(applicationName()) + "): "
        + lastExport().metric(PHYSICAL).describe();
  }

  private static <T> T poll(Supplier<T> read, Predicate<T> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = read.get();
      if (done.test(value) || System.nanoTime() - deadline >= 0) {
        return value;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return value;
      }
    }
  }
}
