package com.otporchestrator.compat;

import com.otporchestrator.account.Account;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one place where failures become sms-activate protocol tokens. Every token is answered with
 * HTTP 200, as sms-activate does; the JSON API's equivalent is {@code api.Problems}.
 */
final class CompatTokens {
  static final String NO_KEY = "NO_KEY";
  static final String BAD_KEY = "BAD_KEY";
  static final String BAD_ACTION = "BAD_ACTION";
  static final String BAD_SERVICE = "BAD_SERVICE";
  static final String BAD_STATUS = "BAD_STATUS";
  static final String WRONG_COUNTRY = "WRONG_COUNTRY";
  static final String WRONG_EXCEPTION_PHONE = "WRONG_EXCEPTION_PHONE";
  static final String WRONG_DATE = "WRONG_DATE";
  static final String NO_NUMBERS = "NO_NUMBERS";
  static final String NO_BALANCE = "NO_BALANCE";
  static final String NO_ACTIVATION = "NO_ACTIVATION";
  static final String NO_ACTIVATIONS = "NO_ACTIVATIONS";
  static final String EARLY_CANCEL_DENIED = "EARLY_CANCEL_DENIED";
  static final String OPERATORS_NOT_FOUND = "OPERATORS_NOT_FOUND";
  static final String ERROR_SQL = "ERROR_SQL";
  /** Something the family sells that we do not: forwarding, call or voice verification, multi-service numbers. */
  static final String NOT_AVAILABLE = "NOT_AVAILABLE";
  /** A currency other than USD (840): Hero's token. */
  static final String WRONG_CURRENCY = "WRONG_CURRENCY";
  static final String WRONG_OPERATOR = "WRONG_OPERATOR";
  /** Reactivation refused (the order is not finished, or its supplier cannot hand the number out again). */
  static final String RENEW_ACTIVATION_NOT_AVAILABLE = "RENEW_ACTIVATION_NOT_AVAILABLE";
  static final String WRONG_ADDITIONAL_SERVICE = "WRONG_ADDITIONAL_SERVICE";
  static final String WRONG_ACTIVATION_ID = "WRONG_ACTIVATION_ID";
  static final String REPEAT_ADDITIONAL_SERVICE = "REPEAT_ADDITIONAL_SERVICE";

  // rent actions (docs/protocol-details.md, rent actions); their errors travel as {"status":"error","message":TOKEN}
  static final String NO_ID_RENT = "NO_ID_RENT";
  static final String INVALID_PHONE = "INVALID_PHONE";
  static final String INCORECT_STATUS = "INCORECT_STATUS";
  static final String CANT_CANCEL = "CANT_CANCEL";
  static final String ALREADY_FINISH = "ALREADY_FINISH";
  static final String ALREADY_CANCEL = "ALREADY_CANCEL";
  static final String RENT_DIE = "RENT_DIE";
  static final String ACCOUNT_INACTIVE = "ACCOUNT_INACTIVE";
  static final String SERVER_ERROR = "SERVER_ERROR";
  /** A rent_time outside the policy's durations: Hero's token (docs/protocol-details.md, rent actions). */
  static final String BAD_DURATION = "BAD_DURATION";
  static final String STATUS_WAIT_CODE = "STATUS_WAIT_CODE";
  static final String STATUS_FINISH = "STATUS_FINISH";
  static final String STATUS_CANCEL = "STATUS_CANCEL";

  /** sms-activate writes zone-less times in Moscow time; so do we, so existing parsers read them right. */
  static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /** PHP's 'Y-m-d H-i-s' of the BANNED token (month and day zero-padded, as PHP's m and d are). */
  private static final DateTimeFormatter BANNED_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH-mm-ss");
  /** An indefinite suspension still needs a date: the protocol has no token for "until lifted". */
  private static final String INDEFINITELY = "9999-12-31 23-59-59";

  /** A refusal the protocol has a token for; the caller's error is not logged. */
  static class Refusal extends RuntimeException {
    final String token;

    Refusal(String token) {
      super(token, null, false, false);
      this.token = token;
    }
  }

  private static final Map<Kind, String> BY_KIND = new EnumMap<>(Map.of(
      Kind.UNAUTHORIZED, BAD_KEY,
      Kind.NOT_FOUND, NO_ACTIVATION,
      Kind.INSUFFICIENT_FUNDS, NO_BALANCE,
      Kind.NO_NUMBERS, NO_NUMBERS,
      // the supplier's answer was unclear: nothing was charged, and "no numbers, try again" is what a
      // script can act on; sms-activate has no token for an unknown outcome
      Kind.UPSTREAM_FAILED, NO_NUMBERS,
      Kind.INVALID_STATE, BAD_STATUS,
      Kind.TOO_EARLY, EARLY_CANCEL_DENIED));

  private CompatTokens() {}

  static Refusal refuse(String token) {
    return new Refusal(token);
  }

  /** A refusal with the machine-readable details Hero's JSON variant carries ({@code info}). */
  static final class DetailedRefusal extends Refusal {
    final String details;
    final JsonObject info;

    DetailedRefusal(String token, String details, JsonObject info) {
      super(token);
      this.details = details;
      this.info = info;
    }
  }

  /**
   * The JSON variant of a refusal (Hero's {@code {"title","details","info"}}), for the actions whose answers are JSON
   * in the Hero generation: the title is the token without its arguments, which move to {@code info}
   * (WRONG_MAX_PRICE:0.50 becomes {@code info.min = 0.50}, BANNED:'...' {@code info.readable_date}). Null when the
   * failure is unexpected (the caller logs it).
   */
  static JsonObject jsonError(Throwable failure) {
    String token = of(failure);
    if (token == null) return null;
    JsonObject info = failure instanceof DetailedRefusal d && d.info != null ? d.info.copy() : new JsonObject();
    String details = failure instanceof DetailedRefusal d ? d.details
        : failure instanceof DomainException domain ? domain.getMessage() : token;
    String title = token;
    if (token.startsWith("WRONG_MAX_PRICE:")) {
      title = "WRONG_MAX_PRICE";
      info.put("min", new java.math.BigDecimal(token.substring(token.indexOf(':') + 1)));
    } else if (token.startsWith("BANNED:")) {
      title = "BANNED";
      info.put("readable_date", token.substring(token.indexOf(':') + 1).replace("'", ""));
    }
    return new JsonObject().put("title", title).put("details", details == null ? title : details).put("info", info);
  }

  /** The token for a failure, or null when the failure is unexpected (the caller logs it and answers ERROR_SQL). */
  static String of(Throwable failure) {
    if (failure instanceof Refusal refusal) return refusal.token;
    if (!(failure instanceof DomainException domain)) return null;
    return switch (domain.kind()) {
      case PRICE_ABOVE_MAX -> "WRONG_MAX_PRICE:" + domain.extensions().getString("price");
      case FORBIDDEN -> null; // a suspended account is answered with banned() before it reaches a service
      case INVALID_INPUT -> switch (String.valueOf(domain.extensions().getString("field"))) {
        case "service" -> BAD_SERVICE;
        case "country" -> WRONG_COUNTRY;
        default -> ERROR_SQL; // S-PY: ERROR_SQL is also "one of the parameters has an invalid value"
      };
      default -> BY_KIND.get(domain.kind());
    };
  }

  /** The rent token for a failure, or null when it is unexpected (the caller logs it and answers SERVER_ERROR). */
  static String ofRent(Throwable failure) {
    if (failure instanceof Refusal refusal) return refusal.token;
    if (!(failure instanceof DomainException domain)) return null;
    String reason = String.valueOf(domain.extensions().getString(com.otporchestrator.rental.RentalService.REASON));
    return switch (domain.kind()) {
      case NOT_FOUND -> INVALID_PHONE;
      case INSUFFICIENT_FUNDS -> NO_BALANCE;
      case NO_NUMBERS, UPSTREAM_FAILED -> NO_NUMBERS;
      case FORBIDDEN -> ACCOUNT_INACTIVE;
      case INVALID_INPUT -> switch (String.valueOf(domain.extensions().getString("field"))) {
        case "service" -> BAD_SERVICE;
        case "country" -> WRONG_COUNTRY;
        case "hours" -> BAD_DURATION;
        default -> ERROR_SQL;
      };
      case INVALID_STATE -> switch (reason) {
        case com.otporchestrator.rental.RentalService.CANCEL_WINDOW_CLOSED -> CANT_CANCEL;
        case com.otporchestrator.rental.RentalService.RENT_ENDED -> RENT_DIE;
        case com.otporchestrator.rental.RentalService.ALREADY_FINISHED -> ALREADY_FINISH;
        case com.otporchestrator.rental.RentalService.ALREADY_CANCELLED -> ALREADY_CANCEL;
        default -> INCORECT_STATUS;
      };
      default -> null;
    };
  }

  /** {@code BANNED:'2030-01-31 15-00-00'}: when the suspension ends, in Moscow time. */
  static String banned(Account account) {
    OffsetDateTime until = account.suspendedUntil();
    String when = until == null ? INDEFINITELY : until.atZoneSameInstant(ZONE).format(BANNED_TIME);
    return "BANNED:'" + when + "'";
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.atZoneSameInstant(ZONE).format(TIME);
  }
}
