package io.poolscope.agent.tracking;

/**
 * Checkouts worth a closer look (slow, failed, leaked), for an exporter to turn into spans. Called on
 * the app's thread except for {@link #leakSuspected}; a disabled exporter is {@link #NONE}.
 */
public interface CheckoutEvents {

  /** getConnection failed after {@code waitNanos}, started at {@code startNanos}. */
  void failed(PoolStats pool, long startNanos, long waitNanos, Throwable error);

  /** The connection came back after {@code useNanos}. */
  void returned(Checkout checkout, Object connection, long nowNanos, long useNanos);

  /** The leak watcher found the checkout open past the threshold; {@code holderStack} is where its thread is now. */
  void leakSuspected(Checkout checkout, long nowNanos, StackTraceElement[] holderStack);

  /** The connection was collected without close. */
  void abandoned(Checkout checkout, long nowNanos);

  /** The JVM exits while a suspected leak is still held. */
  void heldAtExit(Checkout checkout);

  CheckoutEvents NONE =
      new CheckoutEvents() {
        @Override
        public void failed(PoolStats pool, long startNanos, long waitNanos, Throwable error) {}

        @Override
        public void returned(Checkout checkout, Object connection, long nowNanos, long useNanos) {}

        @Override
        public void leakSuspected(Checkout checkout, long nowNanos, StackTraceElement[] holderStack) {}

        @Override
        public void abandoned(Checkout checkout, long nowNanos) {}

        @Override
        public void heldAtExit(Checkout checkout) {}
      };
}
