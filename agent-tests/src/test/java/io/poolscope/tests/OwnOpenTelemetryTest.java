package io.poolscope.tests;

import static io.poolscope.tests.support.AppOutput.assertAgentStarted;
import static io.poolscope.tests.support.AppOutput.assertSameAsWithoutAgent;
import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertNoneUsed;
import static io.poolscope.tests.support.PoolAssertions.assertPoolNames;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.OwnOtelApp;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.FaultMatrix;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.OtlpReceiver;
import io.poolscope.tests.support.ReceivedSpan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * An app with its own, older OpenTelemetry API and SDK (and OTLP exporter) traces its requests and
 * counts them, while the agent's relocated, newer SDK reports the pool in the same JVM: the app's
 * spans and metrics arrive as without the agent, under the app's resource and SDK version; ours
 * arrive under our resource and SDK version; and our checkout spans are children of the app's
 * request spans, read through the app's own (older) API.
 *
 * <p>The app's jars: {@code -Dapp.otel.dir} (version {@code -Dapp.otel.version}), copied there by
 * the build apart from the test classpath, whose OpenTelemetry jars (the agent's version,
 * {@code -Dpoolscope.otel.version}) the child does not get. Skipped without them.
 */
@FaultMatrix
class OwnOpenTelemetryTest extends AgentTest {

  private static final String SDK_VERSION = "telemetry.sdk.version";
  private static final int CHECKOUTS = OwnOtelApp.REQUESTS * OwnOtelApp.CHECKOUTS_PER_REQUEST;

  @Test
  void appsOwnOlderSdkAndPoolscopeBothReport() {
    String appVersion = System.getProperty("app.otel.version", "");
    String ourVersion = System.getProperty("poolscope.otel.version", "");
    List<Path> appJars = appOtelJars();
    Assumptions.assumeTrue(!appJars.isEmpty() && !appVersion.isBlank() && !ourVersion.isBlank(),
        "no -Dapp.otel.dir/-Dapp.otel.version/-Dpoolscope.otel.version: skipping the test of an"
            + " app with its own OpenTelemetry SDK");
    assertNotEquals(ourVersion, appVersion, "the app must bundle another version than ours");
    String loaded = "OTEL sdk=" + appVersion + " jar=opentelemetry-sdk-" + appVersion + ".jar";

    ChildJvm baseline;
    List<ReceivedSpan> baselineSpans;
    try (OtlpReceiver own = OtlpReceiver.start()) {
      baseline = run(ownOtelApp(appWithoutAgent(OwnOtelApp.class), appJars, own));
      baselineSpans = own.spans();
    }
    assertTrue(baseline.stdout().contains(loaded), baseline::report);
    assertTrue(baseline.stdout().contains("DONE requests=10 checkouts=" + CHECKOUTS),
        baseline::report);
    ChildJvm child = run(ownOtelApp(app(OwnOtelApp.class), appJars, receiver)
        .property("poolscope.spans", "all")
        .property("otel.bsp.schedule.delay", "200"));
    assertAgentStarted(child);
    assertSameAsWithoutAgent(baseline, child);

    // the app's metrics: as it counted them, under its resource and its SDK version only
    MetricQuery all = receiver.awaitMetric("app.requests",
        q -> q.latestValue() == OwnOtelApp.REQUESTS, EXPORT_GRACE);
    MetricQuery requests = all.metric("app.requests");
    assertEquals(OwnOtelApp.REQUESTS, requests.latestValue(), all::describe);
    assertTrue(requests.poolscope().isEmpty(), all::describe);
    assertEquals(Set.of(Map.entry(OwnOtelApp.SERVICE, appVersion)),
        serviceAndSdk(requests.resources()), all::describe);

    // ours: exact pool figures under our own resource and SDK version
    MetricQuery poolscope = poolscopeMetrics(USE_TIME, q -> q.latestCount() == CHECKOUTS);
    assertPoolNames(poolscope, Set.of(OwnOtelApp.POOL));
    assertCheckouts(poolscope, OwnOtelApp.POOL, CHECKOUTS);
    assertNoneUsed(poolscope, OwnOtelApp.POOL);
    assertEquals(Set.of(Map.entry("OwnOtelApp", ourVersion)), serviceAndSdk(poolscope.resources()),
        poolscope::describe);

    List<ReceivedSpan> spans = receiver.awaitSpans(
        s -> appSpans(s).size() == OwnOtelApp.REQUESTS
            && ReceivedSpan.checkoutsOf(s, OwnOtelApp.POOL).size() == CHECKOUTS,
        EXPORT_GRACE);
    String received = spans.stream().map(ReceivedSpan::toString).collect(Collectors.joining("\n"));
    // the app's spans: the same as without the agent, under its resource and SDK version
    List<ReceivedSpan> appSpans = appSpans(spans);
    assertEquals(appSpans(baselineSpans).size(), appSpans.size(), received);
    assertEquals(OwnOtelApp.REQUESTS, appSpans.size(), received);
    assertEquals(Set.of(Map.entry(OwnOtelApp.SERVICE, appVersion)),
        serviceAndSdk(appSpans.stream().map(ReceivedSpan::resource).toList()), received);

    // ours: one per checkout, under our resource and SDK version, each inside its app request
    List<ReceivedSpan> checkouts = ReceivedSpan.checkoutsOf(spans, OwnOtelApp.POOL);
    assertEquals(CHECKOUTS, checkouts.size(), received);
    assertEquals(Set.of(Map.entry("OwnOtelApp", ourVersion)),
        serviceAndSdk(checkouts.stream().map(ReceivedSpan::resource).toList()), received);
    Map<String, ReceivedSpan> requestsById =
        appSpans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
    for (ReceivedSpan checkout : checkouts) {
      ReceivedSpan parent = requestsById.get(checkout.parentSpanId());
      assertTrue(parent != null && parent.traceId().equals(checkout.traceId()),
          () -> "checkout span outside the app's request spans: " + checkout + "\n" + received);
    }
    Map<String, Long> perRequest = checkouts.stream()
        .collect(Collectors.groupingBy(ReceivedSpan::parentSpanId, Collectors.counting()));
    assertEquals(Set.of((long) OwnOtelApp.CHECKOUTS_PER_REQUEST), Set.copyOf(perRequest.values()),
        received);
  }

  /** The app on its own jars instead of the test classpath's OpenTelemetry (the agent's version). */
  private static ChildJvm.Builder ownOtelApp(ChildJvm.Builder builder, List<Path> jars,
      OtlpReceiver to) {
    return builder
        .replaceOnClassPath(entry -> isOtelJar(Paths.get(entry).getFileName().toString()), jars)
        .args(to.endpoint());
  }

  /** API, SDK, exporters; not opentelemetry-proto, with which the tests decode OTLP. */
  private static boolean isOtelJar(String fileName) {
    return fileName.startsWith("opentelemetry-") && !fileName.startsWith("opentelemetry-proto")
        && fileName.endsWith(".jar");
  }

  private static List<ReceivedSpan> appSpans(List<ReceivedSpan> spans) {
    return spans.stream()
        .filter(s -> s.scope().equals(OwnOtelApp.SERVICE) && s.name().equals(OwnOtelApp.REQUEST_SPAN))
        .toList();
  }

  private static Set<Map.Entry<String, String>> serviceAndSdk(List<Map<String, String>> resources) {
    return resources.stream()
        .map(r -> Map.entry(String.valueOf(r.get("service.name")), String.valueOf(r.get(SDK_VERSION))))
        .collect(Collectors.toSet());
  }

  private static List<Path> appOtelJars() {
    String dir = System.getProperty("app.otel.dir");
    if (dir == null || dir.isBlank() || !Files.isDirectory(Paths.get(dir))) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(Paths.get(dir))) {
      return files.filter(f -> isOtelJar(f.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
