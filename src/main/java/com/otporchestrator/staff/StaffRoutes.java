package com.otporchestrator.staff;

import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** {@code /admin/v1/staff}: open a console account for a person with a role, list them (the token's automation). */
final class StaffRoutes {
  private final StaffService staff;

  StaffRoutes(StaffService staff) {
    this.staff = staff;
  }

  void mount(Router router) {
    router.post("/admin/v1/staff").handler(this::create);
    router.get("/admin/v1/staff").handler(this::list);
    router.patch("/admin/v1/staff/:id").handler(this::update);
  }

  /**
   * {@code {"active", "role", "password"}}, each optional: off-boarding (active false), a new role, a password reset.
   * Disabling or a new password signs the person out of every console session.
   */
  private void update(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "person");
      JsonObject body = Requests.jsonBody(ctx, Set.of("active", "role", "password"));
      Object active = body.getValue("active");
      if (active != null && !(active instanceof Boolean)) throw DomainException.invalid("'active' must be true or false");
      return staff.update(id, (Boolean) active, Requests.optionalString(body, "role", 20),
              Requests.optionalString(body, "password", 200), AdminAuth.actor(ctx))
          .map(person -> ApiResponse.json(200, person(person)));
    });
  }

  /** {@code {"email", "name", "role", "password"}}; the password is stored only as its hash. */
  private void create(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("email", "name", "role", "password"));
      return staff.create(Requests.requiredString(body, "email", 255), Requests.requiredString(body, "name", 200),
              Requests.requiredString(body, "role", 20), Requests.requiredString(body, "password", 200))
          .map(person -> ApiResponse.json(201, person(person)));
    });
  }

  /** {@code ?cursor=&limit=} (1 to 200, 50 by default): people by id; {@code nextCursor} when the page is full. */
  private void list(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      int limit = Requests.limit(ctx, 50, StaffService.MAX_PAGE);
      return staff.page(Requests.cursor(ctx), limit).map(list -> ApiResponse.json(200, page(list, limit)));
    });
  }

  private static JsonObject person(Person p) {
    return new JsonObject().put("id", p.id()).put("email", p.email()).put("name", p.name()).put("role", p.role().code())
        .put("createdAt", p.createdAt().toInstant().toString()).put("active", p.active());
  }

  private static JsonObject page(List<Person> list, int limit) {
    JsonArray items = new JsonArray();
    list.forEach(p -> items.add(person(p)));
    JsonObject page = new JsonObject().put("items", items);
    if (list.size() == limit) page.put("nextCursor", String.valueOf(list.get(list.size() - 1).id()));
    return page;
  }
}
