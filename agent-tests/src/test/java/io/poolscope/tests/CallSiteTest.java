package io.poolscope.tests;

import static io.poolscope.tests.support.PoolAssertions.assertCheckouts;
import static io.poolscope.tests.support.PoolAssertions.assertShape;
import static io.poolscope.tests.support.PoolMetrics.CODE_FILE;
import static io.poolscope.tests.support.PoolMetrics.CODE_FUNCTION;
import static io.poolscope.tests.support.PoolMetrics.CODE_LINE;
import static io.poolscope.tests.support.PoolMetrics.OTHER_SITE;
import static io.poolscope.tests.support.PoolMetrics.POOL_NAME;
import static io.poolscope.tests.support.PoolMetrics.SITE_USE_TIME;
import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CallSitesApp;
import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.BorrowLines;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.DataPoint;
import io.poolscope.tests.support.DataPoint.Kind;
import io.poolscope.tests.support.MetricQuery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Hold time by the line that borrowed: which code path keeps connections longest. */
class CallSiteTest extends AgentTest {

  private static final String APP = CallSitesApp.class.getName();
  private static final String POOL = "sites-pool";

  private record SitesRun(ChildJvm child, MetricQuery metrics) {
    int line(String site) {
      return BorrowLines.of(child, site);
    }
  }

  private SitesRun runSites(String mode, int checkouts, String... properties) {
    ChildJvm.Builder builder = app(CallSitesApp.class).args(mode)
        .property("poolscope.callsite.sample", "1")
        .property("poolscope.callsite.interval", "0");
    for (int i = 0; i < properties.length; i += 2) {
      builder.property(properties[i], properties[i + 1]);
    }
    ChildJvm child = run(builder);
    assertTrue(child.stdout().contains("DONE checkouts=" + checkouts), child::report);
    MetricQuery metrics = poolscopeMetrics(SITE_USE_TIME, q -> q.latestCount() == checkouts);
    // every checkout sampled: the sites add up to the pool's own, unsampled count
    assertCheckouts(metrics, POOL, checkouts);
    assertEquals(checkouts, metrics.metric(SITE_USE_TIME).where(POOL_NAME, POOL).latestCount(),
        metrics::describe);
    return new SitesRun(child, metrics);
  }

  private static DataPoint site(MetricQuery metrics, String function, int line) {
    List<DataPoint> points = metrics.metric(SITE_USE_TIME)
        .where(Map.of(POOL_NAME, POOL, CODE_FUNCTION, APP + "." + function,
            CODE_FILE, "CallSitesApp.java", CODE_LINE, String.valueOf(line)))
        .latest();
    assertEquals(1, points.size(),
        () -> "series of " + function + ":" + line + "\n" + metrics.metric(SITE_USE_TIME).describe());
    return points.get(0);
  }

  @Test
  void twoSitesHaveTheirOwnCountsAndTheLongerHoldsTheLargerSum() {
    SitesRun run = runSites("two", 80);
    MetricQuery metrics = run.metrics();
    assertShape(metrics, SITE_USE_TIME, Kind.HISTOGRAM, false, "s");
    assertEquals(2, metrics.metric(SITE_USE_TIME).latest().size(),
        () -> metrics.metric(SITE_USE_TIME).describe());

    DataPoint quick = site(metrics, "quickLookup", run.line("quick"));
    DataPoint slow = site(metrics, "slowReport", run.line("slow"));
    assertEquals(40, quick.count(), quick::toString);
    assertEquals(40, slow.count(), slow::toString);
    // each hold sleeps 2 ms or 20 ms, plus a SELECT 1: lower bounds are exact, upper ones generous
    assertTrue(quick.sum() >= 40 * 0.002 && quick.sum() < 40 * 0.1, quick::toString);
    assertTrue(slow.sum() >= 40 * 0.020 && slow.sum() < 40 * 0.2, slow::toString);
    assertTrue(slow.sum() > quick.sum(), () -> "slow " + slow + " vs quick " + quick);
  }

  @Test
  void sitesPastTheCapShareTheOtherSeries() {
    SitesRun run = runSites("six", 30, "poolscope.callsite.max", "3");
    MetricQuery metrics = run.metrics();
    List<DataPoint> series = metrics.metric(SITE_USE_TIME).latest();
    // the first three lines to borrow keep their own series, in the order they borrowed
    for (int i = 0; i < 3; i++) {
      DataPoint point = site(metrics, "borrowAt", run.line("site" + i));
      assertEquals(5, point.count(), point::toString);
    }
    List<DataPoint> other = series.stream()
        .filter(p -> OTHER_SITE.equals(p.attribute(CODE_FUNCTION))).toList();
    assertEquals(1, other.size(), metrics.metric(SITE_USE_TIME)::describe);
    assertEquals(15, other.get(0).count(), other.get(0)::toString);
    assertNull(other.get(0).attribute(CODE_LINE), other.get(0)::toString);
    assertNull(other.get(0).attribute(CODE_FILE), other.get(0)::toString);
    assertEquals(4, series.size(), metrics.metric(SITE_USE_TIME)::describe);
  }

  @Test
  void everyNthCheckoutOfAThreadIsSampled() {
    // the site's figures are the 10 sampled checkouts (1st, 65th, ...)
    assertSampled("nth-pool", 1, 10, "poolscope.callsite.sample", "64", "poolscope.callsite.interval", "0");
  }

  @Test
  void aPoolCapturesAtMostOneSitePerIntervalWhateverItsThreads() {
    // by default every checkout may be sampled, but the pool's threads walk their stacks once per
    // interval at most between them: four threads borrowing, one capture
    assertSampled("interval-pool", 4, 1, "poolscope.callsite.interval", "600000");
  }

  /** {@code threads} threads share 640 checkouts of {@code pool}, of which {@code sampled} carry a site. */
  private void assertSampled(String pool, int threads, int sampled, String... properties) {
    ChildJvm.Builder builder = app(CheckoutWorkload.class).args("pool=hikari", "threads=" + threads,
        "checkouts=" + 640 / threads, "holdMs=0", "name=" + pool);
    for (int i = 0; i < properties.length; i += 2) {
      builder.property(properties[i], properties[i + 1]);
    }
    ChildJvm child = run(builder);
    assertTrue(child.stdout().contains("DONE checkouts=640"), child::report);

    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 640);
    assertCheckouts(metrics, pool, 640); // the pool's own figures are exact
    MetricQuery sites = metrics.metric(SITE_USE_TIME).where(POOL_NAME, pool);
    List<DataPoint> series = sites.latest();
    assertEquals(1, series.size(), sites::describe);
    assertEquals(sampled, series.get(0).count(), sites::describe);
    Set<String> functions = series.stream().map(p -> p.attribute(CODE_FUNCTION))
        .collect(Collectors.toSet());
    assertTrue(functions.iterator().next().startsWith(CheckoutWorkload.class.getName() + "."),
        () -> "borrowing site " + functions);
    assertEquals("CheckoutWorkload.java", series.get(0).attribute(CODE_FILE), sites::describe);
  }
}
