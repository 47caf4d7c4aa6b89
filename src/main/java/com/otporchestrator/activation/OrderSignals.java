package com.otporchestrator.activation;

/**
 * Told after a customer's purchase or cancel committed (abuse controls listen). Must not block or throw; the order
 * change is already final whatever a listener does.
 */
public interface OrderSignals {
  OrderSignals NONE = new OrderSignals() {
    @Override
    public void purchased(long accountId, long orderId, String clientAddress) {}

    @Override
    public void cancelled(long accountId, long orderId) {}
  };

  /** {@code clientAddress}: where the customer bought from, null when unknown. */
  void purchased(long accountId, long orderId, String clientAddress);

  void cancelled(long accountId, long orderId);
}
