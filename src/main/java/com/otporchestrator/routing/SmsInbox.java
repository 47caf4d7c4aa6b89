package com.otporchestrator.routing;

import com.otporchestrator.upstream.IncomingSms;
import io.vertx.core.Future;

/** Where an SMS a supplier pushed for a phone number can go: the open orders of one feature (activations, rentals). */
@FunctionalInterface
public interface SmsInbox {
  /** Stores the SMS on this feature's open order holding {@code phone}; answers that order's id, or null when none does. */
  Future<Long> deliver(String phone, String providerId, IncomingSms sms);
}
