package com.otporchestrator.upstream.smshub;

import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.Countries;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;

/**
 * A supplier speaking the SMSHub agent protocol, where we play SMSHub: we call the agent with
 * GET_SERVICES, GET_NUMBER and FINISH_ACTIVATION, and it pushes every SMS to us (see {@link PushSms}).
 *
 * <p>The agent earns {@code sum} only on FINISH_ACTIVATION status 3, so an allocation whose outcome
 * is unknown costs us nothing; it is still reported as unknown, never as failed.
 */
public final class SmsHubProvider implements Provider {
  static final int CURRENCY_USD = 840;
  static final int FINISH_SOLD = 3;
  static final int FINISH_CANCELLED = 4;
  static final Duration RETRY_AFTER_UNREACHABLE = Duration.ofSeconds(10);
  static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(60);
  /** The agent's answer for a number that no longer works: nothing to close, and a silent disconnection to review. */
  public static final String NUMBER_DEAD = "NUMBER_DEAD";

  private final SmsHubConfig config;
  private final AgentClient agent;

  /** The refusal of a reuse the agent did not honour. */
  public static final String REUSE_NOT_SUPPORTED = "REUSE_NOT_SUPPORTED";

  public SmsHubProvider(WebClient client, SmsHubConfig config) {
    this.config = config;
    this.agent = new AgentClient(client, config);
  }

  @Override
  public String id() {
    return config.id();
  }

  @Override
  public boolean pushesSms() {
    return true;
  }

  /**
   * Rentals ride on GET_NUMBER with an extra {@code rentTime} (hours), which our sandbox supplier honours; the SMSHub
   * agent protocol itself has no rentals, so a real agent is only asked when an admin put rent offers for it.
   */
  @Override
  public boolean rents() {
    return true;
  }

  @Override
  public Future<List<StockLine>> stock() {
    return agent.call("GET_SERVICES", new JsonObject()).map(reply -> {
      if ("ERROR".equals(reply.getValue("status"))) throw refusal(reply);
      if (!(reply.getValue("countryList") instanceof JsonArray countries)) {
        throw unknown("GET_SERVICES answered without a countryList: " + reply.encode());
      }
      return SmsHubStock.parse(countries);
    });
  }

  @Override
  public Future<Allocation> allocate(AllocationRequest request) {
    String country = Countries.smshubName(request.country()).orElse(null);
    if (country == null) {
      return Future.failedFuture(new UpstreamException.Rejected(id(), "UNKNOWN_COUNTRY " + request.country()));
    }
    Future<Allocation> allocated = agent.call("GET_NUMBER", numberRequest(request, country)).map(this::allocationFrom);
    return request.reusePhone() == null ? allocated : allocated.compose(a -> sameNumber(a, request.reusePhone()));
  }

  /**
   * Reactivations and additional services ride on GET_NUMBER with an extra {@code reusePhone}, which our sandbox
   * supplier honours; the SMSHub agent protocol has no reuse call, so an agent that ignores the field gives another
   * number: that one is handed back at once (status 4, cancelled) and the reuse refused, nothing bought.
   */
  @Override
  public boolean reusesNumbers() {
    return true;
  }

  private Future<Allocation> sameNumber(Allocation allocation, String wanted) {
    if (wanted.equals(allocation.phone())) return Future.succeededFuture(allocation);
    return close(allocation.providerActivationId(), false).transform(closed -> Future.failedFuture(
        new UpstreamException.Rejected(id(), REUSE_NOT_SUPPORTED)));
  }

  static JsonObject numberRequest(AllocationRequest request, String country) {
    JsonObject fields = new JsonObject()
        .put("country", country)
        .put("operator", request.operator())
        .put("service", request.service())
        .put("sum", usdWithFourDecimals(request.payoutMicros()))
        .put("currency", CURRENCY_USD)
        .put("exceptionPhoneSet", exceptionPhoneSet(request.excludedPrefixes()));
    if (request.rentHours() != null) fields.put("rentTime", request.rentHours());
    if (request.reusePhone() != null) fields.put("reusePhone", Long.parseLong(request.reusePhone()));
    return fields;
  }

  /** Rounds down so that we never offer more than the payout the order budgeted. */
  static BigDecimal usdWithFourDecimals(long micros) {
    return BigDecimal.valueOf(micros, 6).setScale(4, RoundingMode.DOWN);
  }

  /** The protocol's own example sends the prefixes as strings; we keep only their digits. */
  private static JsonArray exceptionPhoneSet(List<String> prefixes) {
    JsonArray set = new JsonArray();
    prefixes.stream().map(p -> p.replaceAll("\\D", "")).filter(p -> !p.isEmpty()).distinct().forEach(set::add);
    return set;
  }

  private Allocation allocationFrom(JsonObject reply) {
    Object status = reply.getValue("status");
    if ("NO_NUMBERS".equals(status)) throw new UpstreamException.NoNumbers(id());
    if ("ERROR".equals(status)) throw refusal(reply);
    if (!"SUCCESS".equals(status)) throw unknown("GET_NUMBER answered an unknown status: " + reply.encode());
    String phone = WireNumbers.integerDigits(reply.getValue("number"));
    String activationId = WireNumbers.integerDigits(reply.getValue("activationId"));
    if (activationId == null && reply.getValue("activationId") instanceof String text && !text.isBlank()) {
      activationId = text.strip();
    }
    if (phone == null || activationId == null) {
      throw unknown("GET_NUMBER answered SUCCESS without a usable number or activationId: " + reply.encode());
    }
    return new Allocation(activationId, phone, null);
  }

  @Override
  public Future<CloseOutcome> close(String providerActivationId, boolean codeDelivered) {
    JsonObject fields = new JsonObject()
        .put("activationId", WireNumbers.asJsonNumberIfPossible(providerActivationId))
        .put("status", codeDelivered ? FINISH_SOLD : FINISH_CANCELLED);
    return agent.call("FINISH_ACTIVATION", fields)
        .map(SmsHubProvider::closeOutcomeFrom)
        .recover(cause -> Future.succeededFuture(
            new CloseOutcome.RetryLater(RETRY_AFTER_UNREACHABLE, String.valueOf(cause.getMessage()))));
  }

  /** The agent must answer SUCCESS to repeats, so an ERROR is worth retrying, just not soon. */
  private static CloseOutcome closeOutcomeFrom(JsonObject reply) {
    if ("SUCCESS".equals(reply.getValue("status"))) return CloseOutcome.closed();
    if (NUMBER_DEAD.equals(reply.getValue("error"))) return new CloseOutcome.Refused(NUMBER_DEAD);
    return new CloseOutcome.RetryLater(RETRY_AFTER_ERROR, "FINISH_ACTIVATION answered " + reply.encode());
  }

  @Override
  public Future<PollResult> poll(String providerActivationId) {
    return Future.succeededFuture(new PollResult(PollResult.UpstreamStatus.UNKNOWN, List.of()));
  }

  /** The agent forwards every SMS on the number anyway; there is nothing to ask for. */
  @Override
  public Future<Void> requestAnotherCode(String providerActivationId) {
    return Future.succeededFuture();
  }

  @Override
  public Future<List<String>> openActivationIds() {
    return Future.failedFuture(new UnsupportedOperationException("the SMSHub agent protocol cannot list activations"));
  }

  private UpstreamException.Rejected refusal(JsonObject reply) {
    Object error = reply.getValue("error");
    Object status = reply.getValue("status");
    return new UpstreamException.Rejected(id(), String.valueOf(error != null ? error : status));
  }

  private UpstreamException.UnknownOutcome unknown(String message) {
    return new UpstreamException.UnknownOutcome(id(), message, null);
  }
}
