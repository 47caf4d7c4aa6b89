package com.otporchestrator.routing;

import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.upstream.UpstreamException;
import com.otporchestrator.metrics.Meters;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * A supplier adapter that times every call and counts its failures, per supplier and operation, and
 * feeds each outcome to the supplier's health and circuit breaker.
 */
public final class MeteredProvider implements Provider {
  private final Provider delegate;
  private final Meters meters;
  private final ProviderHealth health;

  public MeteredProvider(Provider delegate, Meters meters) {
    this(delegate, meters, null);
  }

  public MeteredProvider(Provider delegate, Meters meters, ProviderHealth health) {
    this.delegate = delegate;
    this.meters = meters;
    this.health = health;
    meters.provider(delegate.id());
  }

  /** Wraps every adapter the given factory makes. */
  public static ProviderFactory metered(ProviderFactory factory, Meters meters) {
    return metered(factory, meters, null);
  }

  /** Wraps every adapter the given factory makes, feeding {@code health} (null: none). */
  public static ProviderFactory metered(ProviderFactory factory, Meters meters, ProviderHealth health) {
    return record -> new MeteredProvider(factory.create(record), meters, health);
  }

  @Override
  public String id() {
    return delegate.id();
  }

  @Override
  public boolean pushesSms() {
    return delegate.pushesSms();
  }

  @Override
  public boolean rents() {
    return delegate.rents();
  }

  @Override
  public boolean reusesNumbers() {
    return delegate.reusesNumbers();
  }

  @Override
  public Future<List<StockLine>> stock() {
    return timed("stock", delegate::stock);
  }

  @Override
  public Future<Allocation> allocate(AllocationRequest request) {
    return timed("allocate", () -> delegate.allocate(request));
  }

  @Override
  public Future<PollResult> poll(String providerActivationId) {
    return timed("poll", () -> delegate.poll(providerActivationId));
  }

  @Override
  public Future<Void> requestAnotherCode(String providerActivationId) {
    return timed("request_another_code", () -> delegate.requestAnotherCode(providerActivationId));
  }

  @Override
  public Future<CloseOutcome> close(String providerActivationId, boolean codeDelivered) {
    return timed("close", () -> delegate.close(providerActivationId, codeDelivered));
  }

  @Override
  public Future<List<String>> openActivationIds() {
    return timed("open_activations", delegate::openActivationIds);
  }

  private <T> Future<T> timed(String operation, Supplier<Future<T>> call) {
    long started = System.nanoTime();
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.onComplete(done -> {
      long nanos = System.nanoTime() - started;
      meters.providerCall(delegate.id(), operation, done.succeeded() ? "ok" : outcome(done.cause()), nanos);
      if (health != null) health.record(delegate.id(), done.succeeded() ? null : done.cause(), nanos / 1_000_000);
    });
  }

  static String outcome(Throwable error) {
    if (error instanceof UpstreamException.NoNumbers) return "no_numbers";
    if (error instanceof UpstreamException.Rejected) return "rejected";
    if (error instanceof UpstreamException.UnknownOutcome) return "unknown";
    return "error";
  }
}
