package com.otporchestrator.claim;

import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.IdempotencyStore;
import com.otporchestrator.api.RequestChecks;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Claims (support tickets): customers file them on their orders under the order's policy version and attach evidence;
 * admins work the queue. docs/claims.md has the decisions.
 */
final class ClaimRoutes {
  private static final Set<String> FILE_FIELDS = Set.of("orderId", "depositReference", "type", "text", "tags", "remedy");
  private static final Set<String> APPROVE_FIELDS = Set.of("remedy", "note", "amount", "evidenceOverride");
  private static final Set<String> REMEDY_FIELDS = Set.of("remedy");
  private static final Set<String> CHOSEN_REMEDIES = Set.of("refund", "replacement");
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
        .handler(RequestChecks.readingBody(ClaimService.MAX_FILE_BYTES))
        .handler(RequestChecks::bodyRead)
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
    router.put("/v1/claims/:id/remedy").handler(ctx -> Endpoints.respond(ctx, () -> {
      String remedy = remedy(Requests.jsonBody(ctx, REMEDY_FIELDS), true);
      return claims.chooseRemedy(claimId(ctx), CustomerAuth.account(ctx).id(), remedy).map(ok());
    }));
    router.post("/v1/claims/:id/appeal").handler(ctx -> Endpoints.respondOnce(ctx, idempotency, () -> {
      String text = Requests.requiredString(Requests.jsonBody(ctx, APPEAL_FIELDS), "text", TEXT_MAX);
      return claims.appeal(claimId(ctx), CustomerAuth.account(ctx).id(), text).map(ok());
    }));

    router.get("/admin/v1/claims").handler(this::queue);
    router.get("/admin/v1/claims/:id").handler(ctx -> Endpoints.respond(ctx, () -> claims.get(claimId(ctx), null)
        .map(ok())));
    router.get("/admin/v1/claims/:id/evidence/:n").handler(ctx -> download(ctx, null));
    router.post("/admin/v1/claims/:id/approve").handler(this::approve);
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

  /**
   * {@code {"remedy"?, "note"?, "evidenceOverride"?}} on a claim about an order (remedy refund or replacement; absent:
   * the customer's choice); {@code {"remedy": "adjustment", "amount": "-1.50", "note"}} on an account claim, the note
   * being the adjustment's reason. {@code evidenceOverride}: why the claim is decided without the evidence the policy
   * requires.
   */
  private void approve(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, APPROVE_FIELDS);
      String remedy = Requests.optionalString(body, "remedy", 20);
      String note = Requests.optionalString(body, "note", TEXT_MAX);
      String override = Requests.optionalString(body, "evidenceOverride", TEXT_MAX);
      if ("adjustment".equals(remedy)) {
        long amount = Requests.requiredSignedUsd(ctx, body, "amount");
        if (note == null) throw DomainException.invalid("'note' is required: the reason for the adjustment");
        return claims.adjust(claimId(ctx), AdminAuth.actor(ctx), amount, note, override).map(ok());
      }
      if (remedy != null && !CHOSEN_REMEDIES.contains(remedy)) {
        throw DomainException.invalid("'remedy' must be refund or replacement (adjustment on an account claim)");
      }
      if (body.containsKey("amount")) throw DomainException.invalid("'amount' goes only with remedy adjustment");
      return claims.approve(claimId(ctx), AdminAuth.actor(ctx), remedy, note, override).map(ok());
    });
  }

  private static String remedy(JsonObject body, boolean required) {
    String remedy = required ? Requests.requiredString(body, "remedy", 20) : Requests.optionalString(body, "remedy", 20);
    if (remedy != null && !CHOSEN_REMEDIES.contains(remedy)) throw DomainException.invalid("'remedy' must be refund or replacement");
    return remedy;
  }

  private void file(RoutingContext ctx) {
    Endpoints.respondOnce(ctx, idempotency, () -> {
      JsonObject body = Requests.jsonBody(ctx, FILE_FIELDS);
      Long orderId = body.getValue("orderId") == null ? null : positiveLong(body, "orderId");
      String reference = Requests.optionalString(body, "depositReference", 200);
      if ((orderId == null) == (reference == null)) {
        throw DomainException.invalid("give either 'orderId' (a claim on an order) or 'depositReference' (a deposit or"
            + " billing problem of the account)");
      }
      String type = Requests.requiredString(body, "type", 64);
      if (!type.matches(TYPE)) throw DomainException.invalid("'type' is a claim type id such as sms_not_received");
      String text = Requests.requiredString(body, "text", TEXT_MAX);
      Set<String> tags = tags(body);
      String remedy = remedy(body, false);
      return claims.file(CustomerAuth.account(ctx).id(), new ClaimService.Filing(orderId, reference, type, text, tags, remedy))
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
    String text = Requests.bodyText(ctx);
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
