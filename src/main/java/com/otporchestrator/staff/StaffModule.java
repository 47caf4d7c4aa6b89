package com.otporchestrator.staff;

import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import io.vertx.ext.web.Router;

/**
 * Operators as people with roles: their accounts (created through {@code /admin/v1/staff} with the shared token, or
 * seeded in dev mode), the login check the console uses, and the role table ({@link Role}) it enforces.
 */
public final class StaffModule implements FeatureModule {
  private final StaffService service;
  private final StaffRoutes routes;

  /** @param hasher the web foundation's password hasher (Argon2id, off the event loop) */
  public StaffModule(Core core, PasswordHasher hasher) {
    this.service = new StaffService(new StaffRepository(core.pool()), hasher);
    this.routes = new StaffRoutes(service);
  }

  public StaffService service() {
    return service;
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }
}
