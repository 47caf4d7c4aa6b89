package com.otporchestrator.claim;

import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.IdempotencyStore;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Claims (support tickets): customers file them on their orders under the order's policy version and attach evidence;
 * admins work the queue. docs/claims.md has the decisions.
 */
final class ClaimRoutes {
  private static final Set<String> FILE_FIELDS = Set.of("orderId", "type", "text", "tags");
  private static final Set<String> APPROVE_FIELDS = Set.of("remedy", "note");
  private static final Set<String> REJECT_FIELDS = Set.of("reason");
  private static final Set<String> NOTE_FIELDS = Set.of("note");
  private static final Set<String> APPEAL_FIELDS = Set.of("text");
  private static final Set<String> PLATFORM_TAGS = Set.of("telegram_2fa_api", "fraud_flagged", "aup_terminated",
      "tos_terminated");
  private static final String TAG = "[a-z][a-z0-9_]{0,39}";
  private static final String TYPE = "[a-z][a-z0-9_]{0,63}";
  private static final int TEXT_MAX = 4000;

  private final ClaimService claims;
  private final IdempotencyStore idempotency;

  ClaimRoutes(ClaimService claims, IdempotencyStore idempotency) {
    this.claims = claims;
    this.idempotency = idempotency;
  }

  /**
   * The evidence upload, mounted before the global 64 KB body handler: its own limit (one file), and the customer is
   * authenticated and rate limited before a byte of the body is read (the request stays paused until then).
   */
  void mountUpload(Router router, Handler<RoutingContext> customers, Handler<RoutingContext> rateLimit) {
    router.post("/v1/claims/:id/evidence")
        .handler(ctx -> {
          ctx.request().pause();
          ctx.next();
        })
        .handler(customers)
        .handler(rateLimit);
    // a second route: Vert.x wants a route's body handler before its user handlers
    router.post("/v1/claims/:id/evidence")
        .handler(BodyHandler.create(false).setBodyLimit(ClaimService.MAX_FILE_BYTES))
        .handler(this::upload);
  }

  void mount(Router router) {
    router.post("/v1/claims").handler(this::file);
    router.get("/v1/claims").handler(ctx -> Endpoints.respond(ctx, () -> {
      int limit = Requests.limit(ctx, 50, 200);
      return claims.listOwn(CustomerAuth.account(ctx).id(), Requests.cursor(ctx), limit)
          .map(page -> ApiResponse.json(200, ClaimViews.page(page, limit, false)));
    }));
    router.get("/v1/claims/:id").handler(ctx -> Endpoints.respond(ctx, () -> claims.get(claimId(ctx),
        CustomerAuth.account(ctx).id()).map(ok())));
    router.get("/v1/claims/:id/evidence/:n").handler(ctx -> download(ctx, CustomerAuth.account(ctx).id()));
    router.post("/v1/claims/:id/appeal").handler(ctx -> Endpoints.respondOnce(ctx, idempotency, () -> {
      String text = Requests.requiredString(Requests.jsonBody(ctx, APPEAL_FIELDS), "text", TEXT_MAX);
      return claims.appeal(claimId(ctx), CustomerAuth.account(ctx).id(), text).map(ok());
    }));

    router.get("/admin/v1/claims").handler(this::queue);
    router.get("/admin/v1/claims/:id").handler(ctx -> Endpoints.respond(ctx, () -> claims.get(claimId(ctx), null)
        .map(ok())));
    router.get("/admin/v1/claims/:id/evidence/:n").handler(ctx -> download(ctx, null));
    router.post("/admin/v1/claims/:id/approve").handler(ctx -> Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, APPROVE_FIELDS);
      String remedy = Requests.requiredString(body, "remedy", 20);
      if (!remedy.equals("refund") && !remedy.equals("replacement")) {
        throw DomainException.invalid("'remedy' must be refund or replacement");
      }
      return claims.approve(claimId(ctx), AdminAuth.actor(ctx), remedy, Requests.optionalString(body, "note", TEXT_MAX))
          .map(ok());
    }));
    router.post("/admin/v1/claims/:id/reject").handler(ctx -> Endpoints.respond(ctx, () -> {
      String reason = Requests.requiredString(Requests.jsonBody(ctx, REJECT_FIELDS), "reason", TEXT_MAX);
      return claims.reject(claimId(ctx), AdminAuth.actor(ctx), reason).map(ok());
    }));
    router.post("/admin/v1/claims/:id/request-evidence").handler(ctx -> Endpoints.respond(ctx, () -> {
      String note = Requests.requiredString(Requests.jsonBody(ctx, NOTE_FIELDS), "note", TEXT_MAX);
      return claims.requestEvidence(claimId(ctx), AdminAuth.actor(ctx), note).map(ok());
    }));
    router.post("/admin/v1/claims/:id/escalate").handler(ctx -> Endpoints.respond(ctx, () -> {
      String note = Requests.optionalString(optionalBody(ctx), "note", TEXT_MAX);
      return claims.escalate(claimId(ctx), AdminAuth.actor(ctx), note).map(ok());
    }));
    router.post("/admin/v1/claims/:id/respond").handler(ctx -> Endpoints.respond(ctx, () -> {
      String note = Requests.requiredString(Requests.jsonBody(ctx, NOTE_FIELDS), "note", TEXT_MAX);
      return claims.respond(claimId(ctx), AdminAuth.actor(ctx), note).map(ok());
    }));
  }

  private void file(RoutingContext ctx) {
    Endpoints.respondOnce(ctx, idempotency, () -> {
      JsonObject body = Requests.jsonBody(ctx, FILE_FIELDS);
      long orderId = positiveLong(body, "orderId");
      String type = Requests.requiredString(body, "type", 64);
      if (!type.matches(TYPE)) throw DomainException.invalid("'type' is a claim type id such as sms_not_received");
      String text = Requests.requiredString(body, "text", TEXT_MAX);
      Set<String> tags = tags(body);
      return claims.file(CustomerAuth.account(ctx).id(), new ClaimService.Filing(orderId, type, text, tags))
          .map(claim -> ApiResponse.json(201, ClaimViews.detail(claim)).withHeader("Location", "/v1/claims/" + claim.claim().id()));
    });
  }

  private void upload(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = claimId(ctx);
      String type = ctx.request().getHeader("Content-Type");
      String declared = type == null ? null : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
      return claims.addEvidence(id, CustomerAuth.account(ctx).id(), ctx.body().buffer(), declared)
          .map(claim -> ApiResponse.json(201, ClaimViews.detail(claim)));
    });
  }

  /** Evidence is always a download: never rendered inline, never sniffed into another type by the browser. */
  private void download(RoutingContext ctx, Long accountId) {
    Future<ClaimService.EvidenceFile> file;
    long id;
    int n;
    try {
      id = claimId(ctx);
      String raw = ctx.pathParam("n");
      if (raw == null || !raw.matches("[1-5]")) throw DomainException.notFound("no evidence file '" + raw + "'");
      n = Integer.parseInt(raw);
      file = claims.evidence(id, n, accountId);
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    file.onSuccess(f -> ctx.response().setStatusCode(200)
        .putHeader("Content-Type", f.media().type())
        .putHeader("Content-Disposition", "attachment; filename=\"claim-" + id + "-evidence-" + n + "."
            + f.media().extension() + "\"")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'none'; sandbox")
        .putHeader("Cache-Control", "private, no-store")
        .end(f.data())).onFailure(ctx::fail);
  }

  private void queue(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String state = ctx.request().getParam("state");
      if (state != null) {
        try {
          ClaimState.valueOf(state);
        } catch (IllegalArgumentException e) {
          throw DomainException.invalid("'state' must be one of " + java.util.Arrays.toString(ClaimState.values()));
        }
      }
      String type = ctx.request().getParam("type");
      if (type != null && !type.matches(TYPE)) throw DomainException.invalid("'type' is a claim type id");
      String account = ctx.request().getParam("accountId");
      if (account != null && !account.matches("[1-9][0-9]{0,17}")) throw DomainException.invalid("'accountId' is an account id");
      String overdue = ctx.request().getParam("overdue");
      if (overdue != null && !overdue.equals("true") && !overdue.equals("false")) {
        throw DomainException.invalid("'overdue' must be true or false");
      }
      int limit = Requests.limit(ctx, 50, 200);
      return claims.queue(state, type, account == null ? null : Long.parseLong(account), "true".equals(overdue),
          Requests.cursor(ctx), limit).map(page -> ApiResponse.json(200, ClaimViews.page(page, limit, true)));
    });
  }

  private static JsonObject optionalBody(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) return new JsonObject();
    return Requests.jsonBody(ctx, NOTE_FIELDS);
  }

  private static java.util.function.Function<ClaimService.Detail, ApiResponse> ok() {
    return detail -> ApiResponse.json(200, ClaimViews.detail(detail));
  }

  private static long claimId(RoutingContext ctx) {
    return Requests.pathId(ctx, "id", "claim");
  }

  private static long positiveLong(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) throw DomainException.invalid("'" + field + "' is required");
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
      throw DomainException.invalid("'" + field + "' must be a positive integer");
    }
    return ((Number) value).longValue();
  }

  private static Set<String> tags(JsonObject body) {
    Object value = body.getValue("tags");
    if (value == null) return Set.of();
    if (!(value instanceof JsonArray array)) throw DomainException.invalid("'tags' must be an array of strings");
    if (array.size() > 10) throw DomainException.invalid("'tags' holds at most 10 tags");
    Set<String> tags = new LinkedHashSet<>();
    for (Object tag : array) {
      if (!(tag instanceof String text) || !text.matches(TAG)) {
        throw DomainException.invalid("each tag is lower case letters, digits and _, starting with a letter (e.g. telegram_2fa)");
      }
      if (PLATFORM_TAGS.contains(text)) throw DomainException.invalid("tag '" + text + "' is set by the platform, not declared");
      tags.add(text);
    }
    return tags;
  }
}
