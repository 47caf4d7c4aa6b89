package com.otporchestrator.api;

import com.otporchestrator.activation.SmsDelivery;
import com.otporchestrator.rental.RentalRepository;
import com.otporchestrator.rental.RentalService;
import com.otporchestrator.upstream.IncomingSms;
import io.vertx.core.Future;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.upstream.smshub.PushSms;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /providers/{providerId}/sms}: suppliers speaking the SMSHub agent protocol push every
 * SMS here. SUCCESS tells the supplier never to send it again, so it is answered only once the SMS
 * is safely stored (or there is no open order for it); anything else makes the supplier retry.
 */
final class ProviderPushRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderPushRoutes.class);

  private final ProviderRegistry providers;
  private final SmsDelivery delivery;
  private final RentalService rentals;

  ProviderPushRoutes(ProviderRegistry providers, SmsDelivery delivery, RentalService rentals) {
    this.providers = providers;
    this.delivery = delivery;
    this.rentals = rentals;
  }

  void mount(Router router) {
    router.post("/providers/:providerId/sms").handler(this::pushSms);
  }

  private void pushSms(RoutingContext ctx) {
    String providerId = ctx.pathParam("providerId");
    if (providers.get(providerId).isEmpty()) {
      reply(ctx, 404, PushSms.errorReply("unknown provider"));
      return;
    }
    JsonObject body = jsonOrNull(ctx);
    if (body == null) {
      reply(ctx, 400, PushSms.errorReply("body must be a JSON object"));
      return;
    }
    Object key = body.getValue("key");
    if (!(key instanceof String presented) || !providers.acceptsPushKey(providerId, presented)) {
      reply(ctx, 401, PushSms.errorReply("BAD_KEY"));
      return;
    }
    switch (PushSms.parse(body)) {
      case PushSms.Parsed.Invalid invalid -> reply(ctx, 400, PushSms.errorReply(invalid.error()));
      case PushSms.Parsed.Valid valid -> store(ctx, providerId, valid.sms());
    }
  }

  /** An activation holding the phone takes the SMS; else an active rental holding it; else nobody (acknowledged). */
  private void store(RoutingContext ctx, String providerId, PushSms sms) {
    IncomingSms incoming = sms.toIncomingSms(Instant.now());
    delivery.toPhone(sms.phone(), providerId, incoming).compose(stored -> stored.activationId() != null
        ? Future.succeededFuture(stored.activationId())
        : rentals.deliver(sms.phone(), providerId, incoming).map(RentalRepository.SmsStored::rentalId)).onComplete(result -> {
      if (result.failed()) {
        LOG.warn("could not store SMS {} from {}: {}", sms.smsId(), providerId, result.cause().toString());
        reply(ctx, 503, PushSms.errorReply("temporarily unavailable, send it again"));
        return;
      }
      if (result.result() == null) {
        LOG.info("SMS {} from {} for {} matches no open order; acknowledged and dropped", sms.smsId(), providerId, sms.phone());
      }
      reply(ctx, 200, PushSms.successReply());
    });
  }

  private static JsonObject jsonOrNull(RoutingContext ctx) {
    try {
      Object value = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().asJsonObject();
      return value instanceof JsonObject object ? object : null;
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
