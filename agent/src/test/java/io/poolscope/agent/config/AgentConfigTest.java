package io.poolscope.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private final List<String> warnings = new ArrayList<>();

  private AgentConfig load(String agentArgs, Map<String, String> props, Map<String, String> env) {
    return AgentConfig.load(Settings.from(agentArgs, props, env), warnings::add);
  }

  @Test
  void agentArgumentsBeatSystemPropertiesWhichBeatTheEnvironment() {
    AgentConfig config =
        load(
            "pools.max=7",
            Map.of("poolscope.pools.max", "8", "poolscope.shutdown.timeout", "100"),
            Map.of("POOLSCOPE_POOLS_MAX", "9", "POOLSCOPE_SHUTDOWN_TIMEOUT", "200", "POOLSCOPE_ENABLED", "false"));
    assertEquals(7, config.poolsMax);
    assertEquals(100, config.shutdownTimeoutMillis);
    assertFalse(config.enabled);
    assertEquals(List.of(), warnings);
  }

  @Test
  void aBadValueWarnsOnceNamingOptionValueAndFallback() {
    AgentConfig config = load(null, Map.of("poolscope.pools.max", "abc"), Map.of());
    assertEquals(20, config.poolsMax);
    assertEquals(
        List.of("option poolscope.pools.max=abc is not a whole number; using 20"), warnings);
  }

  @Test
  void anAbsurdValueIsClampedWithAWarning() {
    AgentConfig config = load(null, Map.of("poolscope.pools.max", "-3"), Map.of());
    assertEquals(1, config.poolsMax);
    assertEquals(List.of("option poolscope.pools.max=-3 is outside 1..1000; using 1"), warnings);
  }

  @Test
  void anUnknownOptionSuggestsTheNearestName() {
    load("pool.max=3", Map.of(), Map.of());
    assertEquals(
        List.of("unknown option poolscope.pool.max is ignored; did you mean poolscope.pools.max?"),
        warnings);
  }

  @Test
  void listsSplitOnSemicolonsInAgentArguments() {
    AgentConfig config =
        load("pool.packages=com.acme.pool;org.example.pool,driver.packages=com.acme.jdbc", Map.of(), Map.of());
    assertEquals(List.of("com.acme.pool", "org.example.pool"), config.poolPackages);
    assertEquals(List.of("com.acme.jdbc"), config.driverPackages);
  }
}
