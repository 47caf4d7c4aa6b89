package com.otporchestrator.upstream.smsactivate;

import com.otporchestrator.common.Money;
import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.UpstreamException;
import com.otporchestrator.upstream.smsactivate.SmsActivateReplies.Parsed;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Client of any sms-activate compatible upstream ({@code <baseUrl>/stubs/handler_api.php}). Prefers
 * the V2 JSON actions and falls back to the text ones, for good, when the upstream answers
 * {@code BAD_ACTION} (Tiger). Never fails a purchase whose outcome it cannot prove.
 */
public final class SmsActivateProvider implements Provider {
  private static final String STATUS_RETRY = "3";
  private static final String STATUS_FINISH = "6";
  private static final String STATUS_CANCEL = "8";

  private final WebClient client;
  private final SmsActivateConfig config;
  private final SmsActivateReplies replies;
  private final Clock clock;
  private volatile boolean numberV2Unsupported;
  private volatile boolean statusV2Unsupported;

  public SmsActivateProvider(WebClient client, SmsActivateConfig config) {
    this(client, config, Clock.systemUTC());
  }

  public SmsActivateProvider(WebClient client, SmsActivateConfig config, Clock clock) {
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.replies = new SmsActivateReplies(config.upstreamZone());
  }

  @Override
  public String id() {
    return config.id();
  }

  @Override
  public boolean pushesSms() {
    return false;
  }

  @Override
  public Future<List<StockLine>> stock() {
    return call("getPrices", Map.of()).compose(reply -> settle("getPrices", parse(reply, replies::stock)));
  }

  @Override
  public Future<Allocation> allocate(AllocationRequest request) {
    Map<String, String> params = purchaseParams(request);
    if (numberV2Unsupported) return buy("getNumber", params);
    return call("getNumberV2", params).compose(reply -> {
      Parsed<Allocation> parsed = parse(reply, this::allocation);
      if (!SmsActivateReplies.isBadAction(parsed)) return settle("getNumberV2", parsed);
      numberV2Unsupported = true; // BAD_ACTION proves nothing was bought, so the fallback is safe
      return buy("getNumber", params);
    });
  }

  @Override
  public Future<PollResult> poll(String providerActivationId) {
    Map<String, String> params = Map.of("id", providerActivationId);
    if (statusV2Unsupported) return readStatus("getStatus", params);
    return call("getStatusV2", params).compose(reply -> {
      Parsed<PollResult> parsed = parse(reply, replies::status);
      if (!SmsActivateReplies.isBadAction(parsed)) return settle("getStatusV2", parsed);
      statusV2Unsupported = true;
      return readStatus("getStatus", params);
    });
  }

  @Override
  public Future<Void> requestAnotherCode(String providerActivationId) {
    return setStatus(providerActivationId, STATUS_RETRY)
        .compose(reply -> settle("setStatus", parse(reply, replies::retryRequested)));
  }

  @Override
  public Future<CloseOutcome> close(String providerActivationId, boolean codeDelivered) {
    return setStatus(providerActivationId, codeDelivered ? STATUS_FINISH : STATUS_CANCEL)
        .map(this::closeOutcome);
  }

  @Override
  public Future<List<String>> openActivationIds() {
    return call("getActiveActivations", Map.of())
        .compose(reply -> settle("getActiveActivations", parse(reply, replies::activeIds)));
  }

  private Future<Allocation> buy(String action, Map<String, String> params) {
    return call(action, params).compose(reply -> settle(action, parse(reply, this::allocation)));
  }

  private Future<PollResult> readStatus(String action, Map<String, String> params) {
    return call(action, params).compose(reply -> settle(action, parse(reply, replies::status)));
  }

  private Future<SmsActivateReply> setStatus(String activationId, String status) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("id", activationId);
    params.put("status", status);
    return call("setStatus", params);
  }

  private static Map<String, String> purchaseParams(AllocationRequest request) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("service", request.service());
    params.put("country", Integer.toString(request.country()));
    params.put("operator", request.operator());
    if (request.payoutMicros() > 0) params.put("maxPrice", Money.format(request.payoutMicros()));
    if (!request.excludedPrefixes().isEmpty()) {
      params.put("phoneException", String.join(",", request.excludedPrefixes()));
    }
    return params;
  }

  /** Sends one action; a missing reply (timeout, refused connection) becomes a {@code Garbage} reply. */
  private Future<SmsActivateReply> call(String action, Map<String, String> params) {
    HttpRequest<Buffer> request = client.getAbs(config.endpoint())
        .timeout(config.requestTimeout().toMillis())
        .addQueryParam("api_key", config.apiKey())
        .addQueryParam("action", action);
    params.forEach(request::addQueryParam);
    return request.send()
        .map(response -> SmsActivateReply.of(response.statusCode(), response.bodyAsString()))
        .otherwise(failure -> new SmsActivateReply.Garbage(0, "no reply: " + describe(failure)));
  }

  private Parsed<Allocation> allocation(SmsActivateReply reply) {
    return replies.allocation(reply, clock.instant());
  }

  /** A parser bug on an odd body must still end as "unknown", never as a stray exception. */
  private static <T> Parsed<T> parse(SmsActivateReply reply, Function<SmsActivateReply, Parsed<T>> parser) {
    try {
      return parser.apply(reply);
    } catch (RuntimeException e) {
      return new Parsed.Unreadable<>("unparseable reply: " + e);
    }
  }

  private CloseOutcome closeOutcome(SmsActivateReply reply) {
    try {
      return replies.closeOutcome(reply);
    } catch (RuntimeException e) {
      return new CloseOutcome.RetryLater(SmsActivateReplies.UNEXPECTED_REPLY_RETRY, "unparseable reply: " + e);
    }
  }

  private <T> Future<T> settle(String action, Parsed<T> parsed) {
    return switch (parsed) {
      case Parsed.Ok<T> ok -> Future.succeededFuture(ok.value());
      case Parsed.Refused<T> refused when refused.token().equals("NO_NUMBERS") ->
          Future.failedFuture(new UpstreamException.NoNumbers(id()));
      case Parsed.Refused<T> refused -> Future.failedFuture(new UpstreamException.Rejected(id(), refused.token()));
      case Parsed.Unreadable<T> unreadable -> Future.failedFuture(
          new UpstreamException.UnknownOutcome(id(), action + ": " + redact(unreadable.why()), null));
    };
  }

  private String describe(Throwable failure) {
    return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : " " + redact(failure.getMessage()));
  }

  /** Vert.x puts the request URI, api_key included, into its timeout messages. */
  private String redact(String text) {
    return text.replace(config.apiKey(), "***")
        .replace(URLEncoder.encode(config.apiKey(), StandardCharsets.UTF_8), "***");
  }
}
