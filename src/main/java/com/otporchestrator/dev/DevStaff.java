package com.otporchestrator.dev;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.staff.StaffService;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Dev mode's operators: one demo person per role, so each console role can be tried; printed in the banner. */
public final class DevStaff {
  /** email → role; every demo person's password is {@link #PASSWORD}. */
  static final Map<String, String> PEOPLE = new LinkedHashMap<>();
  static final String PASSWORD = "dev-console-password";

  static {
    PEOPLE.put("support@ops.dev", "support");
    PEOPLE.put("senior@ops.dev", "senior_support");
    PEOPLE.put("finance@ops.dev", "finance");
    PEOPLE.put("admin@ops.dev", "admin");
  }

  private DevStaff() {}

  /** Opens the demo people that do not exist yet (a second start keeps the first start's). */
  public static void seed(StaffService staff) {
    List<Future<?>> all = new ArrayList<>();
    PEOPLE.forEach((email, role) -> all.add(staff.create(email, "Demo " + role.replace('_', ' '), role, PASSWORD)
        .recover(e -> e instanceof DomainException d && d.kind() == DomainException.Kind.CONFLICT
            ? Future.succeededFuture() : Future.failedFuture(e))));
    try {
      Future.all(all).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not seed the demo operators: " + e, e);
    }
  }

  /** The banner's lines: the console's URL and each demo login. */
  static String banner(String base) {
    StringBuilder text = new StringBuilder("Operator console: " + base + "/console  (password for each: " + PASSWORD + ")\n");
    PEOPLE.forEach((email, role) -> text.append("  %-16s %s%n".formatted(role, email)));
    return text.toString();
  }
}
