package com.otporchestrator.order;

import java.util.Locale;

/**
 * How an order was placed: the JSON API, the sms-activate compatible API, or the web console. Recorded on every order
 * ({@code activations.channel}, {@code rentals.channel}) because a policy may judge by it: esimpy's "Telegram 2FA
 * numbers purchased via API are not eligible for a refund" applies to both API channels, not to the web.
 */
public enum Channel {
  API, COMPAT, WEB;

  /** As stored: {@code api}, {@code compat}, {@code web}. */
  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Channel of(String dbValue) {
    return valueOf(dbValue.toUpperCase(Locale.ROOT));
  }

  /** Bought through one of the APIs (JSON or compatible), by a program rather than a person at the web console. */
  public boolean viaApi() {
    return this != WEB;
  }
}
