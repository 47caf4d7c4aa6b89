package com.otporchestrator.push;

import com.otporchestrator.activation.Activation;

/**
 * A version of an order that only grows along its lifecycle, the same on every node: three steps
 * per SMS received plus the stage within it (allocating 0, waiting for or holding a code 1, waiting
 * for another code 2, closed 3). A new SMS adds 3, a retry 1, any ending reaches the top stage; so
 * every change a customer can see (state or a new SMS) makes it strictly larger.
 */
public final class OrderVersion {
  private OrderVersion() {}

  public static long of(Activation order) {
    int stage = switch (order.state()) {
      case ALLOCATING -> 0;
      case WAITING_CODE, CODE_RECEIVED -> 1;
      case WAITING_RETRY -> 2;
      case FINISHED, CANCELLED, EXPIRED, FAILED -> 3;
    };
    return 3L * order.sms().size() + stage;
  }
}
