package com.otporchestrator.outage;

import com.otporchestrator.activation.ScopeRefunds;
import com.otporchestrator.rental.RentalService;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds confirmed outages, batch after batch, as a job that survives a pod dying: the outage row
 * is the job (state REFUNDING, progress counters) and a PostgreSQL lease says which process works on
 * it; a lease left by a dead process expires and another claims the outage. Run periodically by
 * timers nodes and kicked by the API when an admin declares or confirms one. Correctness never rests
 * on the lease: two jobs on one outage refund each order once (see {@link ScopeRefunds}).
 */
public final class OutageRefundJob {
  private static final Logger LOG = LoggerFactory.getLogger(OutageRefundJob.class);

  private final OutageRepository outages;
  private final ScopeRefunds refunds;
  private final RentalService rentals;
  private final int batchSize;
  private final Duration lease;
  private final AtomicBoolean running = new AtomicBoolean();
  /** How long a job leaves an outage alone while orders of its scope are still being allocated. */
  static final Duration WAIT_FOR_ALLOCATIONS = Duration.ofSeconds(2);

  public OutageRefundJob(OutageRepository outages, ScopeRefunds refunds, RentalService rentals, int batchSize,
                         Duration lease) {
    this.outages = outages;
    this.refunds = refunds;
    this.rentals = rentals;
    this.batchSize = batchSize;
    this.lease = lease;
  }

  /** Refunds every outage waiting for it, one after the other; a run already going makes this a no-op. */
  public Future<Void> run() {
    if (!running.compareAndSet(false, true)) return Future.succeededFuture();
    return next().onComplete(done -> running.set(false)).recover(error -> {
      LOG.warn("outage refund job stopped, will resume on its next run: {}", error.toString());
      return Future.succeededFuture();
    });
  }

  private Future<Void> next() {
    return outages.claim(lease).compose(claimed -> claimed.isEmpty() ? Future.succeededFuture()
        : refundAll(claimed.get()).compose(v -> next()));
  }

  /**
   * Nothing left to refund: done, unless an order of the scope bought before the outage is still
   * being allocated (it opens on its number or fails within ALLOCATION_TIMEOUT_SECONDS). Then the
   * lease is shortened to {@link #WAIT_FOR_ALLOCATIONS} and a later run looks again.
   */
  private Future<Void> finishOrWait(Outage outage) {
    return refunds.allocatingInScope(outage.scope()).compose(allocating -> allocating
        ? outages.renew(outage.id(), WAIT_FOR_ALLOCATIONS).mapEmpty()
        : outages.finish(outage.id()).onSuccess(v -> LOG.atInfo().addKeyValue("outageId", outage.id())
            .log("outage {} refunded", outage.id())));
  }

  /**
   * Refunds one outage to the end, batch by batch, renewing the lease between batches: the activations of its scope,
   * then the rentals whose policy refunds an outage ({@code rental.refunds.platform_outage}); the other rentals get an
   * incident and a claim for review when it finishes.
   */
  public Future<Void> refundAll(Outage outage) {
    return refunds.refundBatch(outage.id(), outage.scope(), batchSize).compose(refunded -> {
      if (refunded.isEmpty()) return refundRentals(outage);
      return outages.renew(outage.id(), lease).compose(held -> held ? refundAll(outage) : Future.succeededFuture());
    });
  }

  private Future<Void> refundRentals(Outage outage) {
    ScopeRefunds.Scope scope = outage.scope();
    return rentals.refundOutage(outage.id(), scope.providerId(), scope.service(), scope.country(), scope.startsAt(),
        scope.createdNoLaterThan(), batchSize).compose(refunded -> {
          if (refunded.isEmpty()) return finishOrWait(outage);
          return outages.renew(outage.id(), lease).compose(held -> held ? refundRentals(outage) : Future.succeededFuture());
        });
  }
}
