package com.otporchestrator.activation;

import com.otporchestrator.metrics.Meters;
import com.otporchestrator.order.StoredSms;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.upstream.IncomingSms;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an SMS reaches an activation, whether a supplier pushed it or we polled it. Deliveries
 * arrive at least once from every direction; {@link StoredSms} makes a repeat a no-op.
 */
public final class SmsDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(SmsDelivery.class);
  private final ActivationRepository activations;
  private final OrderEvents events;
  private final TimerService timers;

  private final Meters meters;

  public SmsDelivery(ActivationRepository activations, OrderEvents events, TimerService timers) {
    this(activations, events, timers, Meters.detached());
  }

  public SmsDelivery(ActivationRepository activations, OrderEvents events, TimerService timers, Meters meters) {
    this.activations = activations;
    this.events = events;
    this.timers = timers;
    this.meters = meters;
  }

  public Future<ActivationRepository.SmsStored> toOrder(long activationId, String providerId, IncomingSms sms) {
    StoredSms s = StoredSms.of(sms);
    return activations.deliverToOrder(activationId, providerId, s.dedupeKey(), s.sender(), s.text(), s.code())
        .onSuccess(this::announce);
  }

  public Future<ActivationRepository.SmsStored> toPhone(String phone, String providerId, IncomingSms sms) {
    StoredSms s = StoredSms.of(sms);
    return activations.deliverToPhone(phone, providerId, s.dedupeKey(), s.sender(), s.text(), s.code())
        .onSuccess(this::announce);
  }

  /** For other changes found while delivering (a supplier closing the number). */
  void announceChange(long activationId) {
    events.changed(activationId);
  }

  private void announce(ActivationRepository.SmsStored stored) {
    if (stored.activationId() == null) {
      meters.sms("no_open_order");
    } else if (stored.fresh()) {
      meters.sms("stored");
    } else {
      meters.sms("duplicate");
      meters.duplicatesSuppressed("sms", 1);
    }
    if (stored.fresh() && stored.activationId() != null) events.changed(stored.activationId());
    if (stored.webhookEventId() != null) firstWebhookAttempt(stored.webhookEventId());
  }

  /**
   * The SMS and its webhook event are committed: ask the timer engine to post it now. Not awaited
   * and never failing the ingestion; a lost schedule is found by the webhook sweep source.
   */
  private void firstWebhookAttempt(long eventId) {
    timers.schedule(new Timer(TimerKind.WEBHOOK, eventId, System.currentTimeMillis()))
        .onFailure(error -> LOG.warn("could not schedule webhook event {}; the sweep will send it: {}", eventId,
            error.toString()));
  }
}
