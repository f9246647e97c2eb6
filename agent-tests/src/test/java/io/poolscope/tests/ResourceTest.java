package io.poolscope.tests;

import static io.poolscope.tests.support.PoolMetrics.USE_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.poolscope.tests.apps.CheckoutWorkload;
import io.poolscope.tests.support.AgentTest;
import io.poolscope.tests.support.ChildJvm;
import io.poolscope.tests.support.MetricQuery;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which process the metrics come from: what tells 3 workers × 5 connections apart. */
class ResourceTest extends AgentTest {

  private ChildJvm runSmallWorkload(ChildJvm.Builder builder) {
    return run(builder.args("pool=hikari", "threads=1", "checkouts=10", "holdMs=0"));
  }

  private Map<String, String> onlyResource() {
    MetricQuery metrics = poolscopeMetrics(USE_TIME, q -> q.latestCount() == 10);
    List<Map<String, String>> resources = metrics.resources();
    assertEquals(1, resources.size(), () -> "resources: " + resources);
    return resources.get(0);
  }

  @Test
  void defaultsIdentifyTheProcess() {
    ChildJvm child = runSmallWorkload(app(CheckoutWorkload.class));
    Map<String, String> resource = onlyResource();

    assertEquals(Long.toString(child.pid()), resource.get("process.pid"), resource::toString);
    // the main class tells processes apart better than unknown_service:java
    assertEquals("CheckoutWorkload", resource.get("service.name"), resource::toString);
    for (String key : List.of("service.instance.id", "host.name", "process.runtime.name",
        "process.runtime.version")) {
      String value = resource.get(key);
      assertFalse(value == null || value.isBlank(), () -> key + " missing in " + resource);
    }
  }

  @Test
  void serviceNamePropertyIsHonored() {
    runSmallWorkload(app(CheckoutWorkload.class).property("otel.service.name", "shop"));
    Map<String, String> resource = onlyResource();
    assertEquals("shop", resource.get("service.name"), resource::toString);
  }
}
