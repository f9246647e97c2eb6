package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What reaches the collector on the wire: plain HTTP/1.1 that any collector, proxy or load balancer
 * reads. The JDK client's default would open each connection with an h2c upgrade, which servers
 * that do not answer it stall on: the export then never arrives.
 */
class OtlpWireTest extends AgentTest {

  private List<String> requestHeadsOfTenCheckouts(ChildJvm.Builder builder) {
    run(builder.args("pool=hikari", "threads=1", "checkouts=10", "holdMs=0"));
    assertEquals(10, poolscopeMetrics(USE_TIME, q -> q.latestCount() == 10)
        .metric(USE_TIME).latestCount(), "checkouts in the decoded exports");
    List<String> heads = receiver.requestHeads();
    assertFalse(heads.isEmpty(), "no requests");
    return heads;
  }

  @Test
  void exportsArePlainHttp11ProtobufPostsWithoutUpgrade() {
    List<String> heads = requestHeadsOfTenCheckouts(app(CheckoutWorkload.class));
    assertAll(heads.stream().map(head -> () -> {
      assertTrue(head.startsWith("HTTP/1.1 POST /v1/metrics ")
          || head.startsWith("HTTP/1.1 POST /v1/traces "), head);
      assertTrue(head.contains(" Content-Type=application/x-protobuf "), head);
      assertTrue(head.contains(" Content-Encoding=null "), head);
      assertTrue(head.contains(" Upgrade=null "), head);
      // the SDK's headers reach the wire: the collector can tell the exporter and its version
      assertTrue(head.contains(" User-Agent=OTel-OTLP-Exporter-Java/"), head);
    }));
  }

  @Test
  void gzipCompressionOptionCompressesEveryExport() {
    List<String> heads = requestHeadsOfTenCheckouts(
        app(CheckoutWorkload.class).property("otel.exporter.otlp.compression", "gzip"));
    assertAll(heads.stream().map(head -> () ->
        assertTrue(head.contains(" Content-Encoding=gzip ") && head.contains(" Upgrade=null "), head)));
  }
}
