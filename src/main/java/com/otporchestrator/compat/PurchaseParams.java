package com.otporchestrator.compat;

import static com.otporchestrator.compat.CompatTokens.refuse;

import com.otporchestrator.compat.CompatRoutes.Params;
import java.util.Set;

/**
 * What a buying action may be asked, so that nothing we do not honour changes what is bought: a parameter outside an
 * action's list is refused (ERROR_SQL, the family's "one of the parameters has an invalid value"), and so is a value
 * asking for something we do not sell (a forwarding number, a call or voice verification, another currency). Each
 * action's list is the family's parameters for it (docs/protocol-details.md); the harmless ones (ref, userId,
 * useCashBack, language) are accepted and have no effect.
 */
final class PurchaseParams {
  private static final Set<String> ALWAYS = Set.of("api_key", "action");
  static final Set<String> NUMBER = Set.of("service", "country", "operator", "maxPrice", "freePrice", "fixedPrice",
      "phoneException", "ref", "userId", "useCashBack", "forward", "activationType", "verification", "language",
      "currency");
  static final Set<String> MULTI = Set.of("multiService", "multiForward", "operator", "country", "ref", "userId",
      "currency", "maxPrice");
  static final Set<String> REUSE = Set.of("id", "service", "ref", "userId", "currency");
  static final Set<String> RENT = Set.of("service", "country", "operator", "rent_time", "time", "duration", "url",
      "currency", "ref", "userId", "incomingCall");
  static final Set<String> RENT_EXTEND = Set.of("id", "rent_time", "time", "duration", "currency");
  /** The USD currency code we sell in (ISO-4217 840). */
  private static final String USD = "840";

  private PurchaseParams() {}

  /** Refuses a parameter outside {@code allowed} and a value we would not honour. */
  static void check(Params p, Set<String> allowed) {
    for (String name : p.names()) {
      if (!ALWAYS.contains(name) && !allowed.contains(name)) throw refuse(CompatTokens.ERROR_SQL);
    }
    if (isSet(p.get("forward")) || isSet(p.get("verification")) || isSet(p.get("incomingCall"))) {
      throw refuse(CompatTokens.NOT_AVAILABLE);
    }
    String type = p.get("activationType");
    if (type != null && !type.isBlank() && !type.strip().equals("0")) throw refuse(CompatTokens.NOT_AVAILABLE);
    String currency = p.get("currency");
    if (currency != null && !currency.isBlank() && !currency.strip().equals(USD)) throw refuse(CompatTokens.WRONG_CURRENCY);
  }

  /**
   * The price ceiling: {@code maxPrice}, which {@code freePrice=true} (buy at up to maxPrice) and {@code fixedPrice}
   * (buy at exactly maxPrice) both require.
   */
  static Long ceiling(Params p) {
    Long maxPrice = p.maxPrice();
    if (maxPrice == null && (isSet(p.get("freePrice")) || fixedPrice(p))) throw refuse(CompatTokens.ERROR_SQL);
    return maxPrice;
  }

  static boolean fixedPrice(Params p) {
    return isSet(p.get("fixedPrice"));
  }

  /** A flag set: 1 or true; 0, false and absent are unset; anything else is refused. */
  static boolean isSet(String raw) {
    if (raw == null) return false;
    return switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "", "0", "false" -> false;
      case "1", "true" -> true;
      default -> throw refuse(CompatTokens.ERROR_SQL);
    };
  }
}
