package com.otporchestrator.outage;

import com.otporchestrator.api.DecisionLog;
import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * An operator's outage decisions, for the admin API and the console alike: declare one (its refunds start at once),
 * confirm a suspected one (refunds start) or dismiss it; each recorded with who made it. Repeating the decision an
 * outage already has answers the outage.
 */
public final class OutageDecisions {
  private final OutageRepository outages;
  private final OutageRefundJob job;
  private final DecisionLog decisions;

  OutageDecisions(OutageRepository outages, OutageRefundJob job, DecisionLog decisions) {
    this.outages = outages;
    this.job = job;
    this.decisions = decisions;
  }

  public Future<Outage> declare(OutageRepository.Declaration declaration, String actor) {
    return outages.declare(declaration).compose(outage -> {
      job.run();
      return decisions.record(actor, "outage.declare", "outage:" + outage.id(), declaration.reason()).map(outage);
    });
  }

  public Future<Outage> decide(long id, boolean confirm, String actor) {
    Future<Optional<Outage>> decided = confirm ? outages.confirm(id) : outages.dismiss(id);
    return decided.compose(done -> {
      if (done.isPresent()) {
        if (confirm) job.run();
        return decisions.record(actor, confirm ? "outage.confirm" : "outage.dismiss", "outage:" + id, null)
            .map(done.get());
      }
      return outages.find(id).map(found -> {
        Outage outage = found.orElseThrow(() -> DomainException.notFound("outage " + id + " does not exist"));
        boolean already = confirm ? !outage.state().equals("DISMISSED") && outage.confirmedAt() != null
            : outage.state().equals("DISMISSED");
        if (already) return outage;
        throw new DomainException(DomainException.Kind.INVALID_STATE,
            "outage " + id + " is " + outage.state() + "; only a SUSPECTED outage can be "
                + (confirm ? "confirmed" : "dismissed"), new JsonObject().put("state", outage.state()));
      });
    });
  }
}
