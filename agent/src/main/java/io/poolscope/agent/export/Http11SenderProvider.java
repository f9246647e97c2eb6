package io.poolscope.agent.export;

import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/** The SDK finds its HTTP sender by service loading: this is the only one in the agent's jar. */
public final class Http11SenderProvider implements HttpSenderProvider {

  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    return new Http11Sender(config);
  }
}
