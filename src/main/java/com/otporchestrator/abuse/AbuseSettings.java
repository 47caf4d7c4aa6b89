package com.otporchestrator.abuse;

import java.math.BigDecimal;

/**
 * The thresholds of one signal (table abuse_settings, changed by admins at run time).
 *
 * @param threshold cancels per window (cancels), distinct accounts per IP (shared_ip), or the minimum purchases in the
 *     window before the ratio counts (refund_ratio)
 * @param ratio refund_ratio only: cancels / purchases at or above which the signal trips
 */
public record AbuseSettings(Signal signal, boolean enabled, int threshold, BigDecimal ratio, long windowMs, Action action) {

  public enum Signal {
    CANCELS, REFUND_RATIO, SHARED_IP;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Signal of(String id) {
      return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** What a first trip does besides recording the flag. */
  public enum Action {
    FLAG, THROTTLE, SUSPEND, HOLD_REFUNDS;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
