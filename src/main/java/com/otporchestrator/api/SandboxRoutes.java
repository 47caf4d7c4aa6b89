package com.otporchestrator.api;

import com.otporchestrator.activation.ActivationRepository;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.sandbox.SandboxSetup;
import com.otporchestrator.sandbox.SandboxSupplier;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Dev mode and tests only: {@code POST /admin/v1/sandbox/activations/{id}/sms} makes the sandbox
 * supplier push an SMS to that order's number through the real PUSH_SMS path, so a person can try
 * the whole flow with curl.
 */
final class SandboxRoutes {
  private final SandboxSupplier sandbox;
  private final ActivationRepository activations;

  SandboxRoutes(SandboxSupplier sandbox, ActivationRepository activations) {
    this.sandbox = sandbox;
    this.activations = activations;
  }

  void mount(Router router) {
    router.post("/admin/v1/sandbox/activations/:id/sms").handler(this::pushSms);
  }

  private void pushSms(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "activation");
      String text = Requests.requiredString(Requests.jsonBody(ctx, Set.of("text")), "text", 1000);
      return activations.findAny(id).compose(found -> {
        var order = found.orElseThrow(() -> DomainException.notFound("activation " + id + " does not exist"));
        if (!SandboxSetup.PROVIDER_ID.equals(order.providerId()) || order.phone() == null) {
          throw new DomainException(Kind.INVALID_STATE, "activation " + id + " has no sandbox number");
        }
        return sandbox.sendSms(order.phone(), text)
            .recover(e -> Future.failedFuture(new DomainException(Kind.INVALID_STATE,
                "the sandbox could not deliver: " + e.getMessage())))
            .compose(v -> activations.findAny(id))
            .map(after -> ApiResponse.json(200, Views.activation(after.orElseThrow())));
      });
    });
  }
}
