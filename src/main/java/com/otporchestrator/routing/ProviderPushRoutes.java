package com.otporchestrator.routing;

import com.otporchestrator.api.Problems;
import com.otporchestrator.store.Database;
import com.otporchestrator.upstream.IncomingSms;
import com.otporchestrator.upstream.smshub.PushSms;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
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
  private final List<SmsInbox> inboxes;

  /** @param inboxes asked in this order; the first holding the phone takes the SMS */
  ProviderPushRoutes(ProviderRegistry providers, List<SmsInbox> inboxes) {
    this.providers = providers;
    this.inboxes = List.copyOf(inboxes);
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

  /** The first inbox holding the phone takes the SMS (an activation, else an active rental); else nobody (acknowledged). */
  private void store(RoutingContext ctx, String providerId, PushSms sms) {
    IncomingSms incoming = sms.toIncomingSms(Instant.now());
    deliver(0, sms.phone(), providerId, incoming).onComplete(result -> {
      if (result.failed()) {
        LOG.warn("could not store SMS {} from {}: {}", sms.smsId(), providerId, result.cause().toString());
        if (Database.isPoolExhausted(result.cause())) {
          // every connection stayed busy for the acquire timeout: overloaded, as the API answers it (nothing was stored)
          ctx.response().putHeader("Retry-After", String.valueOf(Problems.OVERLOADED_RETRY_AFTER_SECONDS));
        }
        reply(ctx, 503, PushSms.errorReply("temporarily unavailable, send it again"));
        return;
      }
      if (result.result() == null) {
        LOG.info("SMS {} from {} for {} matches no open order; acknowledged and dropped", sms.smsId(), providerId, sms.phone());
      }
      reply(ctx, 200, PushSms.successReply());
    });
  }

  private Future<Long> deliver(int inbox, String phone, String providerId, IncomingSms sms) {
    if (inbox == inboxes.size()) return Future.succeededFuture(null);
    return inboxes.get(inbox).deliver(phone, providerId, sms).compose(orderId -> orderId != null
        ? Future.succeededFuture(orderId) : deliver(inbox + 1, phone, providerId, sms));
  }

  private static JsonObject jsonOrNull(RoutingContext ctx) {
    try {
      // always UTF-8, whatever charset the Content-Type names (JSON has no other)
      return ctx.body() == null || ctx.body().buffer() == null ? null : new JsonObject(ctx.body().buffer());
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
