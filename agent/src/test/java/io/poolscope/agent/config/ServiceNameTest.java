package io.poolscope.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceNameTest {

  @Test
  void derivedFromTheMainClassOrJar() {
    assertEquals("ShopApp", ServiceName.derived("com.acme.ShopApp --port 8080"));
    assertEquals("shop-1.2", ServiceName.derived("/opt/app/shop-1.2.jar --debug"));
    assertEquals("java", ServiceName.derived(""));
  }

  @Test
  void theUsersNameWins() {
    Map<String, String> command = Map.of("sun.java.command", "com.acme.ShopApp");
    assertEquals("ShopApp", ServiceName.effective(command, Map.of()));
    assertEquals("env", ServiceName.effective(command, Map.of("OTEL_SERVICE_NAME", "env")));
    assertEquals(
        "attr",
        ServiceName.effective(
            Map.of("sun.java.command", "x.Y", "otel.resource.attributes", "a=b,service.name=attr"),
            Map.of()));
    assertEquals(
        "prop",
        ServiceName.effective(
            Map.of("otel.service.name", "prop"), Map.of("OTEL_SERVICE_NAME", "env")));
  }
}
