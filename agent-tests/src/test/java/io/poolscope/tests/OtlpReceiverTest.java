package io.poolscope.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.poolscope.tests.support.MetricQuery;
import io.poolscope.tests.support.OtlpReceiver;
import io.poolscope.tests.support.PoolMetrics;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The receiver and query helpers on hand-made exports: the agent tests rely on them. */
class OtlpReceiverTest {

  private static final String POOL = PoolMetrics.POOL_NAME;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void decodesPlainAndGzipExportsAndKeepsTheLatestPointPerSeries() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      assertEquals(200, post(receiver, "/v1/metrics", export(1, 4, 0.5), false));
      assertEquals(200, post(receiver, "/v1/metrics", export(3, 10, 2.5), true));
      assertEquals(200, post(receiver, "/v1/traces", new byte[0], false));
      assertEquals(404, post(receiver, "/v1/nothing", new byte[0], false));

      assertEquals(2, receiver.exportCount());
      MetricQuery all = receiver.metrics().poolscope();
      // cumulative: the second export replaces the first, series by series, then they add up
      assertEquals(3 + 1, all.metric(PoolMetrics.COUNT).latestValue());
      assertEquals(3, all.metric(PoolMetrics.COUNT).where(Map.of(POOL, "p", PoolMetrics.STATE, "used"))
          .latestValue());
      assertEquals(10 + 2, all.metric(PoolMetrics.USE_TIME).latestCount());
      assertEquals(2.5 + 0.25, all.metric(PoolMetrics.USE_TIME).latestSum(), 1e-9);
      assertEquals(Set.of("p"), all.attributeValues(POOL));
      assertTrue(all.metric(PoolMetrics.COUNT).any(p -> p.value() == 1));
      assertEquals(1, all.resources().size());
      assertEquals("42", all.resources().get(0).get("process.pid"));

      MetricQuery awaited = receiver.awaitMetric(PoolMetrics.USE_TIME,
          q -> q.latestCount() == 999, Duration.ofMillis(100));
      assertEquals(12, awaited.metric(PoolMetrics.USE_TIME).latestCount(),
          "awaitMetric returns what it has when time is up");
    }
  }

  private int post(OtlpReceiver receiver, String path, byte[] body, boolean gzip) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(receiver.endpoint() + path))
        .header("Content-Type", "application/x-protobuf");
    if (gzip) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
        out.write(body);
      }
      body = zipped.toByteArray();
      request.header("Content-Encoding", "gzip");
    }
    return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** One used-count series, one idle series fixed at 1, one use_time series (plus an errored one). */
  private static byte[] export(long used, long holds, double heldSeconds) {
    Metric count = Metric.newBuilder().setName(PoolMetrics.COUNT).setUnit("{connection}")
        .setSum(Sum.newBuilder().setIsMonotonic(false)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setAsInt(used)
                .addAttributes(attr(POOL, "p")).addAttributes(attr(PoolMetrics.STATE, "used")))
            .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)
                .addAttributes(attr(POOL, "p")).addAttributes(attr(PoolMetrics.STATE, "idle"))))
        .build();
    Metric useTime = Metric.newBuilder().setName(PoolMetrics.USE_TIME).setUnit("s")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setCount(holds).setSum(heldSeconds)
                .addAttributes(attr(POOL, "p")))
            .addDataPoints(HistogramDataPoint.newBuilder().setCount(2).setSum(0.25)
                .addAttributes(attr(POOL, "p")).addAttributes(attr("error.type", "x"))))
        .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(
                KeyValue.newBuilder().setKey("process.pid")
                    .setValue(AnyValue.newBuilder().setIntValue(42))))
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(MetricQuery.POOLSCOPE_SCOPE))
                .addMetrics(count).addMetrics(useTime)))
        .build().toByteArray();
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
