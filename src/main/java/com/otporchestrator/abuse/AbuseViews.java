package com.otporchestrator.abuse;

import com.otporchestrator.api.Views;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;

/** JSON shapes of abuse settings and flags as the admin API shows them. */
final class AbuseViews {
  private AbuseViews() {}

  static JsonObject settings(AbuseSettings s) {
    return new JsonObject().put("signal", s.signal().id()).put("enabled", s.enabled()).put("threshold", s.threshold())
        .put("ratio", s.ratio() == null ? null : s.ratio().toPlainString()).put("windowSeconds", s.windowMs() / 1000)
        .put("action", s.action().id());
  }

  static JsonObject allSettings(Collection<AbuseSettings> all) {
    JsonArray items = new JsonArray();
    all.forEach(s -> items.add(settings(s)));
    return new JsonObject().put("items", items);
  }

  /** A page of flags, newest first; {@code nextCursor} only when the page is full. */
  static JsonObject flags(List<AbuseRepository.Flag> flags, int limit) {
    JsonArray items = new JsonArray();
    for (AbuseRepository.Flag f : flags) {
      items.add(new JsonObject().put("id", f.id()).put("accountId", f.accountId())
          .put("signal", f.signal()).put("observed", f.observed())
          .put("evidence", f.evidence()).put("action", f.action())
          .put("firstSeenAt", Views.time(f.firstSeenAt())).put("lastSeenAt", Views.time(f.lastSeenAt()))
          .put("resolvedAt", Views.time(f.resolvedAt())).put("resolvedBy", f.resolvedBy())
          .put("resolutionNote", f.resolutionNote()));
    }
    JsonObject out = new JsonObject().put("items", items);
    if (flags.size() == limit && !flags.isEmpty()) out.put("nextCursor", String.valueOf(flags.get(flags.size() - 1).id()));
    return out;
  }
}
