package io.poolscope.samples.shapes;

import java.util.concurrent.Executor;

/**
 * What the sample DataSources and driver hand out: a connection known by its label, so that the
 * tests' expected hook calls can name it. Never woven itself (the tests only weave what they pass
 * to the transformer).
 */
public final class StubConnection extends ConnectionBase {

  private final String label;

  public StubConnection(String label) {
    this.label = label;
  }

  @Override
  public void close() {}

  @Override
  public void abort(Executor executor) {}

  @Override
  public String toString() {
    return label;
  }
}
