package com.otporchestrator.web;

import com.otporchestrator.activation.ActivationRefunds;
import com.otporchestrator.claim.Claim;
import com.otporchestrator.claim.ClaimService;
import com.otporchestrator.claim.ClaimState;
import com.otporchestrator.claim.Eligibility;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.policy.Policies;
import com.otporchestrator.policy.RefundDecision;
import com.otporchestrator.policy.RefundPolicy;
import com.otporchestrator.rental.RentalRefunds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * Claims: the list with deadlines, filing one (on an activation, a rental or the account), one claim with its history,
 * evidence upload (a plain multipart form) and an appeal where the policy allows it. Every rule is the claim service's.
 */
public final class ClaimPages {
  private static final int TEXT_MAX = 4_000;

  /** A claim type the order (or the account) may still be claimed under, with its description. */
  public record Choice(String id, String description, String until) {}

  /** A claim as the pages show it. */
  public record View(Claim claim, String state, String filed, String responseDue, String resolutionDue,
                     String orderHref, boolean appealable) {}

  private final CustomerPages pages;
  private final ClaimService claims;
  private final ActivationRefunds activations;
  private final RentalRefunds rentals;
  private final Policies policies;
  private final WebKit kit;

  ClaimPages(WebKit kit, CustomerPages pages, ClaimService claims, ActivationRefunds activations, RentalRefunds rentals,
             Policies policies) {
    this.kit = kit;
    this.pages = pages;
    this.claims = claims;
    this.activations = activations;
    this.rentals = rentals;
    this.policies = policies;
  }

  /** The evidence upload reads its own (larger) body: before the global body handler, then CSRF and the session. */
  void mountUpload(Router router, CustomerSessions sessions) {
    // The session first: a request without one is sent to the login page before its body (up to the file limit) is
    // read; the request is paused until the body handler resumes it (two routes: a body handler may not
    // follow a user handler on one route). The CSRF token is a form field, so its check comes after the body.
    router.post("/app/claims/:id/evidence")
        .handler(ctx -> {
          ctx.request().pause();
          ctx.next();
        })
        .handler(Pages::securityHeaders)
        .handler(sessions)
        .failureHandler(kit.pages().failures());
    router.post("/app/claims/:id/evidence")
        .handler(BodyHandler.create(true).setBodyLimit(ClaimService.MAX_FILE_BYTES + 64 * 1024)
            .setDeleteUploadedFilesOnEnd(true))
        .handler(kit.csrf())
        .handler(this::upload)
        .failureHandler(kit.pages().failures());
  }

  void mount(Router router) {
    router.get("/app/claims").handler(this::list);
    router.get("/app/claims/new").handler(this::form);
    router.post("/app/claims").handler(this::file);
    router.get("/app/claims/:id").handler(this::detail);
    router.post("/app/claims/:id/appeal").handler(this::appeal);
    router.post("/app/claims/:id/remedy").handler(this::chooseRemedy);
  }

  private void list(RoutingContext ctx) {
    claims.listOwn(CustomerSessions.account(ctx).id(), null, 100).onSuccess(list -> pages.render(ctx,
        pages.page(ctx, "Claims", "/app/claims"), "app/claims.jte", "claims",
        list.stream().map(c -> view(c, false)).toList())).onFailure(ctx::fail);
  }

  /** The filing form: the claim types open to the order now (from its refund position), or the account's types. */
  private void form(RoutingContext ctx) {
    showForm(ctx, 200, null);
  }

  private void showForm(RoutingContext ctx, int status, String error) {
    long accountId = CustomerSessions.account(ctx).id();
    String order = param(ctx, "order");
    String rental = param(ctx, "rental");
    Instant now = Instant.now();
    Future<List<Choice>> choices;
    if (order != null) {
      choices = activations.position(Long.parseLong(order), accountId, now).map(p -> choices(p.decision(), p.policy(), now));
    } else if (rental != null) {
      choices = rentals.position(Long.parseLong(rental), accountId, now).map(p -> choices(p.decision(), p.policy(), now));
    } else {
      choices = policies.inForce().map(f -> f.policy().claims().stream()
          .filter(c -> c.appliesTo().contains(RefundPolicy.OrderKind.ACCOUNT))
          .map(c -> new Choice(c.id(), c.description(), null)).toList());
    }
    String target = order != null ? order : rental;
    choices.onSuccess(list -> pages.render(ctx, status, pages.page(ctx, "File a claim", "/app/claims"),
        "app/claim-new.jte", "choices", list, "orderId", target, "account", target == null, "error", error))
        .onFailure(ctx::fail);
  }

  private static List<Choice> choices(RefundDecision d, RefundPolicy policy, Instant now) {
    return d.options().stream().filter(o -> o.action() == RefundDecision.Action.FILE_CLAIM && o.claimType().isPresent())
        .map(o -> new Choice(o.claimType().get(), policy.claims().stream().filter(c -> c.id().equals(o.claimType().get()))
            .map(RefundPolicy.ClaimType::description).findFirst().orElse(o.claimType().get()),
            o.until().map(t -> RefundWords.at(t, now)).orElse(null)))
        .toList();
  }

  private void file(RoutingContext ctx) {
    long accountId = CustomerSessions.account(ctx).id();
    ClaimService.Filing filing;
    try {
      String type = ctx.request().getFormAttribute("type");
      String text = ctx.request().getFormAttribute("text");
      String orderId = ctx.request().getFormAttribute("orderId");
      String reference = ctx.request().getFormAttribute("depositReference");
      if (type == null || !type.matches("[a-z][a-z0-9_]{0,63}")) throw DomainException.invalid("choose a claim type");
      if (text == null || text.isBlank() || text.length() > TEXT_MAX) {
        throw DomainException.invalid("describe the problem (at most " + TEXT_MAX + " characters)");
      }
      boolean onOrder = orderId != null && !orderId.isBlank();
      if (onOrder && !orderId.matches("[1-9]\\d{0,17}")) throw DomainException.invalid("an order id is a number");
      if (!onOrder && (reference == null || reference.isBlank() || reference.length() > 200)) {
        throw DomainException.invalid("name the deposit reference the claim is about");
      }
      filing = new ClaimService.Filing(onOrder ? Long.valueOf(orderId) : null, onOrder ? null : reference.strip(), type,
          text.strip(), Set.of(), null);
    } catch (DomainException e) {
      showForm(ctx, 400, e.getMessage());
      return;
    }
    claims.file(accountId, filing)
        .onSuccess(d -> ActivationPages.redirect(ctx, "/app/claims/" + d.claim().id(), "Claim filed."))
        .onFailure(e -> {
          if (e instanceof DomainException d && d.kind() != DomainException.Kind.NOT_FOUND) showForm(ctx, 422, d.getMessage());
          else ctx.fail(e);
        });
  }

  private void detail(RoutingContext ctx) {
    long id = id(ctx);
    if (id < 0) return;
    claims.get(id, CustomerSessions.account(ctx).id())
        .compose(d -> policies.version(d.claim().policyId(), d.claim().policyVersion()).map(policy -> {
          boolean appealable = d.claim().state() == ClaimState.REJECTED && !policy.review().decisionsFinal()
              && d.claim().escalationLevel() + 1 < policy.review().escalation().size();
          List<String> remedies = d.claim().state().open()
              ? Eligibility.customerRemedies(policy, d.claim().type()) : List.of();
          pages.render(ctx, pages.page(ctx, "Claim #" + id, "/app/claims"), "app/claim.jte", "detail", d,
              "view", view(d.claim(), appealable), "maxFiles", ClaimService.MAX_FILES, "remedies", remedies);
          return null;
        })).onFailure(ctx::fail);
  }

  private void upload(RoutingContext ctx) {
    long id = id(ctx);
    if (id < 0) return;
    List<FileUpload> files = ctx.fileUploads();
    if (files.isEmpty() || files.get(0).size() == 0) {
      ctx.fail(DomainException.invalid("choose a file to upload"));
      return;
    }
    FileUpload file = files.get(0);
    ctx.vertx().fileSystem().readFile(file.uploadedFileName())
        .compose((Buffer data) -> claims.addEvidence(id, CustomerSessions.account(ctx).id(), data, null))
        .onSuccess(d -> ActivationPages.redirect(ctx, "/app/claims/" + id, "Evidence added."))
        .onFailure(ctx::fail);
  }

  /** The customer's choice of remedy, while the claim is undecided (the service checks the policy allows it). */
  private void chooseRemedy(RoutingContext ctx) {
    long id = id(ctx);
    if (id < 0) return;
    String remedy = ctx.request().getFormAttribute("remedy");
    if (remedy == null || !remedy.matches("[a-z_]{1,30}")) {
      ctx.fail(DomainException.invalid("choose a remedy"));
      return;
    }
    claims.chooseRemedy(id, CustomerSessions.account(ctx).id(), remedy)
        .onSuccess(d -> ActivationPages.redirect(ctx, "/app/claims/" + id, "Remedy chosen: " + remedy + "."))
        .onFailure(ctx::fail);
  }

  private void appeal(RoutingContext ctx) {
    long id = id(ctx);
    if (id < 0) return;
    String text = ctx.request().getFormAttribute("text");
    if (text == null || text.isBlank() || text.length() > TEXT_MAX) {
      ctx.fail(DomainException.invalid("say why you disagree (at most " + TEXT_MAX + " characters)"));
      return;
    }
    claims.appeal(id, CustomerSessions.account(ctx).id(), text.strip())
        .onSuccess(d -> ActivationPages.redirect(ctx, "/app/claims/" + id, "Appeal sent: a senior agent reviews it."))
        .onFailure(ctx::fail);
  }

  private static View view(Claim c, boolean appealable) {
    String href = c.orderId() == null ? null
        : ("rental".equals(c.orderKind()) ? "/app/rentals/" : "/app/activations/") + c.orderId();
    return new View(c, c.state().name().toLowerCase(), time(c.filedAt()), time(c.responseDueAt()),
        time(c.resolutionDueAt()), href, appealable);
  }

  private static String time(java.time.OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().withNano(0).toString()
        .replace('T', ' ') + " UTC";
  }

  private static String param(RoutingContext ctx, String name) {
    String raw = ctx.request().getParam(name);
    return raw != null && raw.matches("[1-9]\\d{0,17}") ? raw : null;
  }

  private long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    if (raw == null || !raw.matches("[1-9]\\d{0,17}")) {
      pages.pages().notFound(ctx);
      return -1;
    }
    return Long.parseLong(raw);
  }
}
