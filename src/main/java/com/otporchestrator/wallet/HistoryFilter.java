package com.otporchestrator.wallet;

import java.time.OffsetDateTime;
import java.util.List;

/** Which ledger rows to list: every field optional (null or empty: no filter); {@code to} is exclusive. */
public record HistoryFilter(List<String> kinds, OffsetDateTime from, OffsetDateTime to, Long orderId) {
  public static final List<String> KINDS =
      List.of("deposit", "hold", "void", "capture", "partial_void", "refund", "service_credit", "payout", "forfeit",
          "adjustment");
}
