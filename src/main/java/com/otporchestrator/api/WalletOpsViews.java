package com.otporchestrator.api;

import com.otporchestrator.common.Money;
import com.otporchestrator.wallet.HistoryEntry;
import com.otporchestrator.wallet.Payout;
import com.otporchestrator.wallet.ServiceCredits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** JSON and CSV shapes of payouts, credits and the transaction history. */
final class WalletOpsViews {
  private WalletOpsViews() {}

  static final String CSV_HEADER = "id,created_at,kind,order_id,service,country,order_state,amount,held_change,reference\r\n";

  static JsonObject payout(Payout p) {
    return new JsonObject().put("id", p.id()).put("accountId", p.accountId()).put("amount", Money.format(p.amount()))
        .put("currency", "USD").put("destination", p.destination()).put("state", p.state())
        .put("policy", new JsonObject().put("id", p.policyId()).put("version", p.policyVersion()))
        .put("requestedAt", Views.time(p.requestedAt())).put("decidedAt", Views.time(p.decidedAt()))
        .put("decidedBy", p.decidedBy()).put("decisionNote", p.decisionNote());
  }

  static JsonObject historyEntry(HistoryEntry h) {
    JsonObject json = Views.ledgerEntry(h.entry());
    if (h.entry().orderId() != null && h.service() != null) {
      json.put("order", new JsonObject().put("service", h.service()).put("country", h.country()).put("state", h.orderState()));
    }
    return json;
  }

  static String csv(List<HistoryEntry> rows) {
    StringBuilder out = new StringBuilder(CSV_HEADER.length() + rows.size() * 96).append(CSV_HEADER);
    for (HistoryEntry h : rows) {
      var e = h.entry();
      out.append(e.id()).append(',').append(Views.time(e.createdAt())).append(',').append(e.kind()).append(',')
          .append(e.orderId() == null ? "" : e.orderId()).append(',').append(cell(h.service())).append(',')
          .append(h.country() == null ? "" : h.country()).append(',').append(cell(h.orderState())).append(',')
          .append(Money.format(e.balanceDelta())).append(',').append(Money.format(e.heldDelta())).append(',')
          .append(cell(e.reference())).append("\r\n");
    }
    return out.toString();
  }

  /**
   * RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula (references come from
   * operators' payment systems, so they are not trusted).
   */
  static String cell(String value) {
    if (value == null) return "";
    String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) return '"' + v.replace("\"", "\"\"") + '"';
    return v;
  }

  static JsonObject grant(ServiceCredits.Grant g) {
    JsonArray lines = new JsonArray();
    long total = 0;
    for (var o : g.outcomes()) {
      total += o.credited();
      lines.add(new JsonObject().put("orderId", o.orderId()).put("credited", Money.format(o.credited()))
          .put("capped", o.capped()).put("skipped", o.skipped()));
    }
    return new JsonObject().put("creditId", g.creditId()).put("total", Money.format(total)).put("currency", "USD")
        .put("orders", lines);
  }
}
