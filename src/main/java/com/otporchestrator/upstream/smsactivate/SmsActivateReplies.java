package com.otporchestrator.upstream.smsactivate;

import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.IncomingSms;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.PollResult.UpstreamStatus;
import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.smsactivate.SmsActivateReply.Empty;
import com.otporchestrator.upstream.smsactivate.SmsActivateReply.Garbage;
import com.otporchestrator.upstream.smsactivate.SmsActivateReply.Json;
import com.otporchestrator.upstream.smsactivate.SmsActivateReply.Token;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What each sms-activate action's reply means, for every dialect we know. Pure: no I/O, no clock
 * (callers pass {@code now}).
 */
public final class SmsActivateReplies {

  /** A reply read as {@code T}, a definite refusal by the upstream, or something we cannot read. */
  public sealed interface Parsed<T> {
    record Ok<T>(T value) implements Parsed<T> {}

    record Refused<T>(String token) implements Parsed<T> {}

    record Unreadable<T>(String why) implements Parsed<T> {}
  }

  public static final Duration DEFAULT_EARLY_CANCEL_WINDOW = Duration.ofSeconds(120);
  public static final Duration UNREAD_OTP_RETRY = Duration.ofSeconds(5);
  public static final Duration TRANSIENT_RETRY = Duration.ofSeconds(30);
  public static final Duration UNEXPECTED_REPLY_RETRY = Duration.ofSeconds(60);

  /** Tokens proving that a purchase allocated nothing. Any other token leaves the outcome unknown. */
  static final Set<String> PURCHASE_REFUSALS = Set.of(
      "NO_NUMBERS", "BAD_KEY", "NO_KEY", "NO_BALANCE", "NO_BALANCE_FORWARD", "BAD_SERVICE",
      "WRONG_SERVICE", "WRONG_COUNTRY", "WRONG_COUNTRY_ID", "WRONG_OPERATOR", "WRONG_MAX_PRICE",
      "BANNED", "CHANNELS_LIMIT", "ACCOUNT_INACTIVE", "SERVICE_NOT_AVAILABLE", "WHATSAPP_NOT_AVAILABLE",
      "NOT_AVAILABLE", "BAD_ACTION", "WRONG_EXCEPTION_PHONE", "RATE_LIMIT");

  /** Account-level errors worth surfacing on reads instead of hiding them behind UNKNOWN. */
  private static final Set<String> ACCOUNT_ERRORS = Set.of(
      "BAD_KEY", "NO_KEY", "BAD_ACTION", "BANNED", "ACCOUNT_INACTIVE");
  private static final Set<String> NO_SUCH_ACTIVATION = Set.of(
      "NO_ACTIVATION", "WRONG_ACTIVATION_ID", "INVALID_ACTIVATION_ID");
  private static final Set<String> ALREADY_CLOSED = Set.of(
      "ACTIVATION_NOT_ACTIVE", "NO_ACTIVATION", "WRONG_ACTIVATION_ID", "INVALID_ACTIVATION_ID", "STATUS_CANCEL");
  private static final Set<String> CLOSE_REFUSALS = Set.of(
      "OTP_RECEIVED", "FREE_CANCELLATION_EXPIRED", "BAD_STATUS", "INCORECT_STATUS", "INCORRECT_STATUS");
  private static final Set<String> THROTTLED = Set.of("RATE_LIMIT", "TOO_EARLY", "FREEZE_PERIOD_NOT_REACHED");
  private static final Set<String> WAITING = Set.of(
      "STATUS_WAIT_CODE", "STATUS_WAIT_RETRY", "STATUS_WAIT_RESEND", "STATUS_WAIT_READY");

  private final ZoneId upstreamZone;

  public SmsActivateReplies(ZoneId upstreamZone) {
    this.upstreamZone = upstreamZone;
  }

  public static boolean isBadAction(Parsed<?> parsed) {
    return parsed instanceof Parsed.Refused<?> r && r.token().equals("BAD_ACTION");
  }

  // ---- getNumber / getNumberV2

  public Parsed<Allocation> allocation(SmsActivateReply reply, Instant now) {
    return switch (reply) {
      case Json j when j.document() instanceof JsonObject o -> allocationFromJson(o, now);
      case Token t -> allocationFromToken(t);
      case Json j -> unreadable("a JSON array instead of an activation");
      case Empty e -> unreadable("empty reply to a purchase");
      case Garbage g -> unreadable(g.why());
    };
  }

  private Parsed<Allocation> allocationFromJson(JsonObject o, Instant now) {
    String id = FlexJson.text(o.containsKey("activationId") ? o.getValue("activationId") : o.getValue("id"));
    String phone = FlexJson.text(o.containsKey("phoneNumber") ? o.getValue("phoneNumber") : o.getValue("phone"));
    if (id == null || phone == null) return unreadable("activation without activationId or phoneNumber");
    return new Parsed.Ok<>(new Allocation(id, phone, expiresAt(o, now)));
  }

  private Parsed<Allocation> allocationFromToken(Token t) {
    if (t.is("ACCESS_NUMBER")) {
      List<String> args = t.arguments();
      if (args.size() != 2 || args.get(0).isEmpty() || args.get(1).isEmpty()) {
        return unreadable("malformed " + t.describe());
      }
      return new Parsed.Ok<>(new Allocation(args.get(0), args.get(1), null));
    }
    if (PURCHASE_REFUSALS.contains(t.name())) return new Parsed.Refused<>(t.describe());
    return unreadable("unexpected reply to a purchase: " + t.describe());
  }

  /**
   * Zone-less end times are read as a lifetime (end minus start) added to {@code now}, which does not
   * depend on guessing the upstream's zone or trusting its clock.
   */
  private Instant expiresAt(JsonObject o, Instant now) {
    String end = FlexJson.text(o.getValue("activationEndTime"));
    if (end == null) return null;
    Instant absolute = UpstreamTimes.absolute(end);
    if (absolute != null) return absolute;
    LocalDateTime endLocal = UpstreamTimes.local(end);
    LocalDateTime startLocal = UpstreamTimes.local(FlexJson.text(o.getValue("activationTime")));
    if (endLocal == null) return null;
    if (startLocal != null && endLocal.isAfter(startLocal)) {
      return now.plus(Duration.between(startLocal, endLocal));
    }
    return endLocal.atZone(upstreamZone).toInstant();
  }

  // ---- getStatus / getStatusV2

  public Parsed<PollResult> status(SmsActivateReply reply) {
    return switch (reply) {
      case Json j when j.document() instanceof JsonObject o -> new Parsed.Ok<>(statusFromJson(o));
      case Token t -> statusFromToken(t);
      case Json j -> unreadable("a JSON array instead of a status");
      case Empty e -> unreadable("empty reply to a status read");
      case Garbage g -> unreadable(g.why());
    };
  }

  private Parsed<PollResult> statusFromToken(Token t) {
    if (ACCOUNT_ERRORS.contains(t.name())) return new Parsed.Refused<>(t.describe());
    if (WAITING.contains(t.name())) return ok(UpstreamStatus.WAITING, List.of());
    if (t.is("STATUS_CANCEL") || NO_SUCH_ACTIVATION.contains(t.name())) return ok(UpstreamStatus.CLOSED, List.of());
    if ((t.is("STATUS_OK") || t.is("FULL_SMS")) && t.argument() != null) {
      String code = t.is("STATUS_OK") ? t.argument() : OtpCodes.extract(t.argument());
      String text = t.is("FULL_SMS") ? t.argument() : null;
      IncomingSms sms = new IncomingSms(syntheticSmsId(null, code, t.argument()), null, text, code, null);
      return ok(UpstreamStatus.CODE_RECEIVED, List.of(sms));
    }
    return ok(UpstreamStatus.UNKNOWN, List.of());
  }

  /** A present message wins over whatever else the document says. */
  private PollResult statusFromJson(JsonObject o) {
    List<IncomingSms> messages = smsMessages(o.getValue("sms"));
    if (!messages.isEmpty()) return new PollResult(UpstreamStatus.CODE_RECEIVED, messages);
    boolean looksLikeStatusV2 = o.containsKey("sms") || o.containsKey("verificationType");
    return new PollResult(looksLikeStatusV2 ? UpstreamStatus.WAITING : UpstreamStatus.UNKNOWN, List.of());
  }

  private List<IncomingSms> smsMessages(Object sms) {
    List<IncomingSms> messages = new ArrayList<>();
    if (sms instanceof JsonObject one) addMessage(messages, one);
    if (sms instanceof JsonArray many) {
      for (Object item : many) if (item instanceof JsonObject one) addMessage(messages, one);
    }
    return messages;
  }

  private void addMessage(List<IncomingSms> messages, JsonObject sms) {
    String text = FlexJson.text(sms.getValue("text"));
    String code = FlexJson.text(sms.getValue("code"));
    if (code == null) code = OtpCodes.extract(text);
    if (code == null && text == null) return;
    String dateTime = FlexJson.text(sms.containsKey("dateTime") ? sms.getValue("dateTime") : sms.getValue("date"));
    Instant receivedAt = dateTime == null ? null : UpstreamTimes.parse(dateTime, upstreamZone);
    messages.add(new IncomingSms(syntheticSmsId(dateTime, code, text), null, text, code, receivedAt));
  }

  /**
   * The protocol has no SMS id. The upstream's own receive time tells a new SMS after a retry from
   * the old one (a change of code alone is not enough); without it the code is all we have.
   */
  static String syntheticSmsId(String dateTime, String code, String text) {
    String what = code != null ? code : "h" + Integer.toHexString(String.valueOf(text).hashCode());
    return dateTime != null ? "t:" + dateTime + ":" + what : "c:" + what;
  }

  // ---- setStatus

  public Parsed<Void> retryRequested(SmsActivateReply reply) {
    return switch (reply) {
      case Token t when t.is("ACCESS_RETRY_GET") -> new Parsed.Ok<>(null);
      case Token t -> new Parsed.Refused<>(t.describe());
      case Json j -> unreadable("JSON instead of ACCESS_RETRY_GET");
      case Empty e -> unreadable("empty reply to setStatus 3");
      case Garbage g -> unreadable(g.why());
    };
  }

  public CloseOutcome closeOutcome(SmsActivateReply reply) {
    return switch (reply) {
      case Empty e when e.httpStatus() == 204 -> CloseOutcome.closed();
      case Token t -> closeOutcome(t);
      case Empty e -> retry(TRANSIENT_RETRY, "empty HTTP " + e.httpStatus() + " reply to a close");
      case Json j -> retry(UNEXPECTED_REPLY_RETRY, "unexpected JSON reply to a close");
      case Garbage g -> retry(TRANSIENT_RETRY, g.why());
    };
  }

  private CloseOutcome closeOutcome(Token t) {
    if (t.is("ACCESS_ACTIVATION") || t.is("ACCESS_CANCEL") || ALREADY_CLOSED.contains(t.name())) {
      return CloseOutcome.closed();
    }
    if (t.is("EARLY_CANCEL_DENIED")) {
      Integer seconds = firstInteger(t.info().getValue("minActivationTime"), t.argument());
      Duration window = seconds != null && seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_EARLY_CANCEL_WINDOW;
      return new CloseOutcome.TooEarly(window, t.name());
    }
    if (t.is("NEW_OTP_RECEIVED")) return retry(UNREAD_OTP_RETRY, t.name());
    if (CLOSE_REFUSALS.contains(t.name())) return new CloseOutcome.Refused(t.describe());
    if (THROTTLED.contains(t.name())) {
      Integer seconds = firstInteger(t.info().getValue("retry_after_seconds"), null);
      return retry(seconds != null && seconds > 0 ? Duration.ofSeconds(seconds) : TRANSIENT_RETRY, t.name());
    }
    return retry(UNEXPECTED_REPLY_RETRY, t.describe());
  }

  // ---- getActiveActivations

  public Parsed<List<String>> activeIds(SmsActivateReply reply) {
    return switch (reply) {
      case Token t when t.is("NO_ACTIVATIONS") -> new Parsed.Ok<>(List.of());
      case Token t -> new Parsed.Refused<>(t.describe());
      case Json j -> activeIds(j.document());
      case Empty e -> unreadable("empty reply to getActiveActivations");
      case Garbage g -> unreadable(g.why());
    };
  }

  /** Unions every list shape seen: {@code activeActivations[]}, Hero's {@code data[]} and legacy {@code row/rows}. */
  private Parsed<List<String>> activeIds(Object document) {
    Set<String> ids = new LinkedHashSet<>();
    if (document instanceof JsonArray rows) {
      collectIds(rows, ids);
      return new Parsed.Ok<>(List.copyOf(ids));
    }
    JsonObject o = (JsonObject) document;
    if (!o.containsKey("activeActivations") && !o.containsKey("data")) {
      return unreadable("no activation list in the reply");
    }
    collectIds(o.getValue("activeActivations"), ids);
    collectIds(o.getValue("data"), ids);
    return new Parsed.Ok<>(List.copyOf(ids));
  }

  private void collectIds(Object value, Set<String> ids) {
    if (value instanceof JsonArray rows) {
      for (Object row : rows) collectIds(row, ids);
    } else if (value instanceof JsonObject row) {
      String id = FlexJson.text(row.containsKey("activationId") ? row.getValue("activationId") : row.getValue("id"));
      if (id != null) ids.add(id);
      collectIds(row.getValue("row"), ids);
      collectIds(row.getValue("rows"), ids);
    }
  }

  // ---- getPrices

  public Parsed<List<StockLine>> stock(SmsActivateReply reply) {
    return switch (reply) {
      case Json j when j.document() instanceof JsonObject o -> new Parsed.Ok<>(stockLines(o));
      case Token t -> new Parsed.Refused<>(t.describe());
      case Json j -> unreadable("a JSON array instead of prices");
      case Empty e -> unreadable("empty reply to getPrices");
      case Garbage g -> unreadable(g.why());
    };
  }

  /** country -> service -> {cost, count|quant}; entries we cannot read are skipped. */
  private List<StockLine> stockLines(JsonObject byCountry) {
    List<StockLine> lines = new ArrayList<>();
    for (String countryKey : byCountry.fieldNames()) {
      Integer country = FlexJson.integer(countryKey);
      if (country == null || !(byCountry.getValue(countryKey) instanceof JsonObject byService)) continue;
      for (String service : byService.fieldNames()) {
        if (!(byService.getValue(service) instanceof JsonObject offer)) continue;
        Integer count = FlexJson.integer(offer.containsKey("count") ? offer.getValue("count") : offer.getValue("quant"));
        if (count == null) continue;
        Long cost = FlexJson.micros(offer.getValue("cost"));
        lines.add(new StockLine(service, country, "any", Math.max(count, 0), cost));
      }
    }
    return lines;
  }

  // ---- helpers

  private static Integer firstInteger(Object preferred, String fallback) {
    Integer value = FlexJson.integer(preferred);
    return value != null ? value : FlexJson.integer(fallback);
  }

  private static <T> Parsed<T> unreadable(String why) {
    return new Parsed.Unreadable<>(why);
  }

  private static Parsed<PollResult> ok(UpstreamStatus status, List<IncomingSms> messages) {
    return new Parsed.Ok<>(new PollResult(status, messages));
  }

  private static CloseOutcome retry(Duration after, String reason) {
    return new CloseOutcome.RetryLater(after, reason);
  }
}
