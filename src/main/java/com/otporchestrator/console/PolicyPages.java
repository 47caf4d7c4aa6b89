package com.otporchestrator.console;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.policy.Policies;
import com.otporchestrator.policy.PolicyDiff;
import com.otporchestrator.policy.PublishedPolicy;
import com.otporchestrator.staff.Role.Action;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Refund policies: the newest version of each and the one in force; publish a YAML document (the loader's problems
 * shown at their path, the document kept in the form); put a policy in force; read a version; compare two versions.
 */
final class PolicyPages {
  static final int MAX_DOCUMENT = 60_000;
  private final Console console;
  private final Policies policies;

  PolicyPages(Console console, Policies policies) {
    this.console = console;
    this.policies = policies;
  }

  void mount(Router router) {
    router.get("/console/policies").handler(ctx -> Console.run(ctx, () -> show(ctx, 200, "", List.of(), null)));
    router.post("/console/policies").handler(this::publish);
    router.post("/console/policies/in-force").handler(this::putInForce);
    router.get("/console/policies/compare").handler(this::compare);
    router.get("/console/policies/:id/versions/:version").handler(this::version);
  }

  private Future<?> show(RoutingContext ctx, int status, String yaml, List<ConsoleViews.PolicyProblem> problems, String refusal) {
    Future<List<PublishedPolicy>> latest = policies.latest();
    Future<Policies.InForce> inForce = policies.inForce();
    return Future.all(latest, inForce).onSuccess(all -> console.show(ctx, status, "Policies", "/console/policies",
        "console/policies.jte", "latest", latest.result(), "inForce", inForce.result(), "yaml", yaml,
        "problems", problems, "refusal", refusal, "publish", Console.may(ctx, Action.PUBLISH_POLICY)));
  }

  private void publish(RoutingContext ctx) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.PUBLISH_POLICY);
      String sent = ctx.request().getFormAttribute("document");
      // a browser sends a textarea's line breaks as CRLF: the document the operator wrote has LF
      String yaml = sent == null ? null : sent.replace("\r\n", "\n");
      if (yaml == null || yaml.isBlank()) throw DomainException.invalid("Paste the policy document (YAML).");
      if (yaml.length() > MAX_DOCUMENT) throw DomainException.invalid("The document is over " + MAX_DOCUMENT + " characters.");
      return policies.publish(yaml, Console.person(ctx).actor())
          .onSuccess(p -> Console.back(ctx, "/console/policies", "published"))
          .recover(error -> {
            if (!(error instanceof DomainException refused)) return Future.failedFuture(error);
            JsonArray found = refused.extensions().getJsonArray("problems");
            List<ConsoleViews.PolicyProblem> problems = new ArrayList<>();
            if (found != null) found.forEach(p -> problems.add(ConsoleViews.PolicyProblem.of(String.valueOf(p))));
            return show(ctx, 422, yaml, problems, found == null ? refused.getMessage() : null).mapEmpty();
          });
    });
  }

  private void putInForce(RoutingContext ctx) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.PUBLISH_POLICY);
      String id = Console.requiredForm(ctx, "policyId", 60);
      return policies.setInForce(id, Console.person(ctx).actor())
          .onSuccess(v -> Console.back(ctx, "/console/policies", "in-force"));
    });
  }

  private void version(RoutingContext ctx) {
    Console.run(ctx, () -> {
      String id = ctx.pathParam("id");
      int version = version(ctx.pathParam("version"));
      return Future.all(policies.document(id, version), policies.history(id)).onSuccess(all -> {
        JsonObject doc = all.resultAt(0);
        List<PublishedPolicy> history = all.resultAt(1);
        console.show(ctx, 200, id + " version " + version, "/console/policies", "console/policy.jte", "id", id,
            "version", version, "document", doc.getString("document"), "history", history);
      });
    });
  }

  private void compare(RoutingContext ctx) {
    Console.run(ctx, () -> {
      String id = ctx.request().getParam("id");
      if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,59}")) throw DomainException.invalid("Choose a policy to compare.");
      int a = version(ctx.request().getParam("a"));
      int b = version(ctx.request().getParam("b"));
      return Future.all(policies.document(id, a), policies.document(id, b)).onSuccess(all -> {
        String older = ((JsonObject) all.resultAt(0)).getString("document");
        String newer = ((JsonObject) all.resultAt(1)).getString("document");
        console.show(ctx, 200, id + ": version " + a + " and " + b, "/console/policies", "console/policy-compare.jte",
            "id", id, "a", a, "b", b, "lines", PolicyDiff.lines(older, newer));
      });
    });
  }

  private static int version(String raw) {
    if (raw == null || !raw.matches("[1-9][0-9]{0,5}")) throw DomainException.invalid("A version is a number from 1.");
    return Integer.parseInt(raw);
  }
}
