package com.otporchestrator.wallet;

import com.otporchestrator.api.Views;
import com.otporchestrator.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** JSON and CSV shapes of wallets, ledger entries, payouts, credits and the transaction history. */
public final class WalletViews {
  private WalletViews() {}

  static final String CSV_HEADER = "id,created_at,kind,order_id,service,country,order_state,amount,held_change,reference,"
      + "order_kind,rental_id,period_start,period_end\r\n";

  /** The balance and the money held by open orders; also part of the admin's account view. */
  public static JsonObject wallet(Wallet w) {
    return new JsonObject().put("balance", Money.format(w.balance())).put("held", Money.format(w.held())).put("currency", "USD");
  }

  static JsonObject ledgerEntry(LedgerEntry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("kind", e.kind())
        .put("orderId", e.orderId())
        .put("amount", Money.format(e.balanceDelta()))
        .put("heldChange", Money.format(e.heldDelta()))
        .put("reference", e.reference())
        .put("createdAt", Views.time(e.createdAt()));
  }

  static JsonObject payout(Payout p) {
    return new JsonObject().put("id", p.id()).put("accountId", p.accountId()).put("amount", Money.format(p.amount()))
        .put("currency", "USD").put("destination", p.destination()).put("state", p.state())
        .put("policy", new JsonObject().put("id", p.policyId()).put("version", p.policyVersion()))
        .put("requestedAt", Views.time(p.requestedAt())).put("decidedAt", Views.time(p.decidedAt()))
        .put("decidedBy", p.decidedBy()).put("decisionNote", p.decisionNote()).put("closesAccount", p.closesAccount());
  }

  static JsonObject historyEntry(HistoryEntry h) {
    JsonObject json = ledgerEntry(h.entry());
    if (h.entry().orderId() != null && h.service() != null) {
      JsonObject order = new JsonObject().put("kind", h.orderKind()).put("service", h.service()).put("country", h.country())
          .put("state", h.orderState());
      if (h.rentalId() != null) {
        order.put("rentalId", h.rentalId()).put("period", new JsonObject().put("startsAt", Views.time(h.periodStart()))
            .put("endsAt", Views.time(h.periodEnd())));
      }
      json.put("order", order);
    }
    return json;
  }

  /** The history as CSV (the JSON API's export and the web console's). */
  public static String csv(List<HistoryEntry> rows) {
    StringBuilder out = new StringBuilder(CSV_HEADER.length() + rows.size() * 96).append(CSV_HEADER);
    for (HistoryEntry h : rows) {
      var e = h.entry();
      out.append(e.id()).append(',').append(Views.time(e.createdAt())).append(',').append(e.kind()).append(',')
          .append(e.orderId() == null ? "" : e.orderId()).append(',').append(cell(h.service())).append(',')
          .append(h.country() == null ? "" : h.country()).append(',').append(cell(h.orderState())).append(',')
          .append(Money.format(e.balanceDelta())).append(',').append(Money.format(e.heldDelta())).append(',')
          .append(cell(e.reference())).append(',').append(cell(h.orderKind())).append(',')
          .append(h.rentalId() == null ? "" : h.rentalId()).append(',').append(cell(Views.time(h.periodStart()))).append(',')
          .append(cell(Views.time(h.periodEnd()))).append("\r\n");
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
