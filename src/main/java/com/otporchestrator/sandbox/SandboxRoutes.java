package com.otporchestrator.sandbox;

import com.otporchestrator.activation.ActivationRepository;
import com.otporchestrator.activation.ActivationViews;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.rental.Rental;
import com.otporchestrator.rental.RentalService;
import com.otporchestrator.rental.RentalViews;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Dev mode and tests only: {@code POST /admin/v1/sandbox/activations/{id}/sms} and
 * {@code POST /admin/v1/sandbox/rentals/{id}/sms} make the sandbox supplier push an SMS to that order's number through
 * the real PUSH_SMS path, so a person can try the whole flow with curl; {@code POST /admin/v1/sandbox/rentals/{id}/dead}
 * makes it report a rented number dead.
 */
final class SandboxRoutes {
  private final SandboxSupplier sandbox;
  private final ActivationRepository activations;
  private final RentalService rentals;

  SandboxRoutes(SandboxSupplier sandbox, ActivationRepository activations, RentalService rentals) {
    this.sandbox = sandbox;
    this.activations = activations;
    this.rentals = rentals;
  }

  void mount(Router router) {
    router.post("/admin/v1/sandbox/rentals/:id/sms").handler(this::rentalSms);
    router.post("/admin/v1/sandbox/rentals/:id/dead").handler(this::rentalDead);
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
            .map(after -> ApiResponse.json(200, ActivationViews.activation(after.orElseThrow())));
      });
    });
  }

  private Future<Rental> sandboxRental(RoutingContext ctx) {
    long id = Requests.pathId(ctx, "id", "rental");
    return rentals.repository().findAny(id).map(found -> {
      Rental rental = found.orElseThrow(() -> DomainException.notFound("rental " + id + " does not exist"));
      if (!SandboxSetup.PROVIDER_ID.equals(rental.providerId()) || rental.phone() == null) {
        throw new DomainException(Kind.INVALID_STATE, "rental " + id + " has no sandbox number");
      }
      return rental;
    });
  }

  private void rentalSms(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("text", "sender"));
      String text = Requests.requiredString(body, "text", 1000);
      String sender = body.getValue("sender") == null ? "Sandbox" : Requests.requiredString(body, "sender", 50);
      return sandboxRental(ctx).compose(rental -> sandbox.sendSms(rental.phone(), sender, text)
          .recover(e -> Future.failedFuture(new DomainException(Kind.INVALID_STATE, "the sandbox could not deliver: " + e.getMessage())))
          .compose(v -> rentals.repository().findAny(rental.id()))
          .map(after -> ApiResponse.json(200, RentalViews.rental(after.orElseThrow()))));
    });
  }

  /** The sandbox supplier kills the number and reports it, as a supplier would: the rental gets a NUMBER_DEAD incident. */
  private void rentalDead(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> sandboxRental(ctx).compose(rental -> sandbox.markDead(rental.phone())
        .recover(e -> Future.failedFuture(new DomainException(Kind.INVALID_STATE, "the sandbox number is not open: " + e.getMessage())))
        .compose(v -> rentals.numberDead(rental.id(), "sandbox supplier reports number " + rental.phone() + " dead"))
        .map(fresh -> ApiResponse.json(200, new JsonObject().put("rentalId", rental.id()).put("incidentRecorded", fresh)))));
  }
}
