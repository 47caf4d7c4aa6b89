package com.otporchestrator.upstream.fivesim;

import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.IncomingSms;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.PollResult.UpstreamStatus;
import com.otporchestrator.upstream.StockLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads 5sim's JSON: order objects (buy, check, finish, cancel, ban), the order list and the price table. */
final class FiveSimOrders {
  /** The order is live: "PENDING" (preparation) and "RECEIVED" (number issued, SMS may come). */
  private static final Set<String> OPEN = Set.of("PENDING", "RECEIVED");
  private static final Set<String> CLOSED = Set.of("CANCELED", "CANCELLED", "TIMEOUT", "FINISHED", "BANNED");

  private FiveSimOrders() {}

  /** A bought order; throws when it lacks the id or a phone, so the caller reports the outcome unknown. */
  static Allocation allocation(JsonObject order) {
    String id = idOf(order);
    String phone = order.getValue("phone") instanceof String p ? p.replaceAll("\\D", "") : null;
    if (id == null || phone == null || phone.length() < 5) throw new IllegalArgumentException("order without id or phone");
    return new Allocation(id, phone, instant(order.getValue("expires")));
  }

  static PollResult poll(JsonObject order) {
    String status = order.getValue("status") instanceof String s ? s.toUpperCase(java.util.Locale.ROOT) : "";
    List<IncomingSms> messages = messages(order.getValue("sms"));
    if (OPEN.contains(status)) {
      return new PollResult(messages.isEmpty() ? UpstreamStatus.WAITING : UpstreamStatus.CODE_RECEIVED, messages);
    }
    if (CLOSED.contains(status)) return new PollResult(UpstreamStatus.CLOSED, messages);
    return new PollResult(UpstreamStatus.UNKNOWN, messages);
  }

  /** The order an action answered: closed when 5sim says it is over, else asked again later. */
  static CloseOutcome closeOutcome(JsonObject order, String action) {
    Object status = order.getValue("status");
    if (status instanceof String s && CLOSED.contains(s.toUpperCase(java.util.Locale.ROOT))) return CloseOutcome.closed();
    return new CloseOutcome.RetryLater(FiveSimProvider.RETRY_AFTER_ERROR, action + " answered status " + status);
  }

  /** {@code {"Data":[order...]}}: ids of the orders still open. */
  static List<String> openIds(JsonObject page) {
    if (!(page.getValue("Data") instanceof JsonArray data)) throw new IllegalArgumentException("no Data array");
    List<String> ids = new ArrayList<>();
    for (Object item : data) {
      if (item instanceof JsonObject order && order.getValue("status") instanceof String s && OPEN.contains(s)) {
        String id = idOf(order);
        if (id != null) ids.add(id);
      }
    }
    return ids;
  }

  /** {@code {country: {product: {operator: {cost, count}}}}}, only for the countries and products we know. */
  static List<StockLine> stock(JsonObject prices) {
    List<StockLine> lines = new ArrayList<>();
    for (String countryName : prices.fieldNames()) {
      Integer country = FiveSimNames.countryId(countryName).orElse(null);
      if (country == null || !(prices.getValue(countryName) instanceof JsonObject products)) continue;
      for (String product : products.fieldNames()) {
        String service = FiveSimNames.service(product).orElse(null);
        if (service == null || !(products.getValue(product) instanceof JsonObject operators)) continue;
        for (String operator : operators.fieldNames()) {
          if (operators.getValue(operator) instanceof JsonObject line && line.getValue("count") instanceof Number count) {
            lines.add(new StockLine(service, country, operator, Math.max(0, count.intValue()), null));
          }
        }
      }
    }
    return lines;
  }

  private static List<IncomingSms> messages(Object sms) {
    if (!(sms instanceof JsonArray list)) return List.of();
    List<IncomingSms> messages = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof JsonObject m) || !(m.getValue("text") instanceof String text)) continue;
      String code = m.getValue("code") instanceof String c && !c.isBlank() ? c : null;
      String sender = m.getValue("sender") instanceof String s ? s : null;
      Instant at = instant(m.getValue("created_at") != null ? m.getValue("created_at") : m.getValue("date"));
      messages.add(new IncomingSms(null, sender, text, code, at));
    }
    return messages;
  }

  private static String idOf(JsonObject order) {
    Object id = order.getValue("id");
    if (id instanceof Number n && n.longValue() > 0 && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Long.toString(n.longValue());
    }
    if (id instanceof String s && s.matches("\\d{1,19}")) return s;
    return null;
  }

  private static Instant instant(Object value) {
    if (!(value instanceof String text)) return null;
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
