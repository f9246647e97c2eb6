package io.poolscope.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResourceDefaultsTest {

  @Test
  void serviceNameComesFromTheMainClassOrJar() {
    assertEquals("ShopApp", ResourceDefaults.serviceName("com.acme.ShopApp --port 8080"));
    assertEquals("shop-1.2", ResourceDefaults.serviceName("/opt/app/shop-1.2.jar --debug"));
    assertEquals("java", ResourceDefaults.serviceName(""));
  }
}
