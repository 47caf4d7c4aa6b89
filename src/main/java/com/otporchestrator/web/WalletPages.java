package com.otporchestrator.web;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.Money;
import com.otporchestrator.wallet.HistoryEntry;
import com.otporchestrator.wallet.HistoryFilter;
import com.otporchestrator.wallet.WalletRepository;
import com.otporchestrator.wallet.WalletViews;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The wallet: balance, held money, and the history with filters (kind, days, order) and its CSV export, from the
 * repository the JSON API reads.
 */
public final class WalletPages {
  private static final int PAGE = 50;
  private static final int CSV_MAX_ROWS = 5_000;

  /** One history row as the page shows it. */
  public record Row(long id, String when, String kind, String amount, boolean credit, String held, Long orderId,
                    String orderHref, String order, String reference) {}

  /** The filter as the form holds it (strings, so the form shows what was asked). */
  public record Filter(String kind, String from, String to, String orderId, String query) {}

  private final CustomerPages pages;
  private final WalletRepository wallets;

  WalletPages(CustomerPages pages, WalletRepository wallets) {
    this.pages = pages;
    this.wallets = wallets;
  }

  void mount(Router router) {
    router.get("/app/wallet").handler(this::wallet);
    router.get("/app/wallet/history.csv").handler(this::csv);
  }

  private void wallet(RoutingContext ctx) {
    long accountId = CustomerSessions.account(ctx).id();
    Filter form = form(ctx);
    HistoryFilter filter;
    try {
      filter = filter(form);
    } catch (DomainException e) {
      ctx.fail(e);
      return;
    }
    Long cursor = cursor(ctx);
    wallets.wallet(accountId).compose(w -> wallets.history(accountId, filter, cursor, PAGE).map(page -> {
      List<Row> rows = page.stream().map(WalletPages::row).toList();
      Long next = page.size() == PAGE ? page.get(page.size() - 1).entry().id() : null;
      pages.render(ctx, pages.page(ctx, "Wallet", "/app/wallet"), "app/wallet.jte", "balance", Money.format(w.balance()),
          "held", Money.format(w.held()), "rows", rows, "filter", form, "kinds", HistoryFilter.KINDS,
          "next", next == null ? null : "/app/wallet?" + form.query() + "cursor=" + next);
      return null;
    })).onFailure(ctx::fail);
  }

  private void csv(RoutingContext ctx) {
    long accountId = CustomerSessions.account(ctx).id();
    HistoryFilter filter;
    try {
      filter = filter(form(ctx));
    } catch (DomainException e) {
      ctx.fail(e);
      return;
    }
    wallets.history(accountId, filter, null, CSV_MAX_ROWS).onSuccess(rows -> ctx.response()
        .putHeader("Content-Type", "text/csv; charset=utf-8")
        .putHeader("Content-Disposition", "attachment; filename=\"history.csv\"")
        .end(WalletViews.csv(rows))).onFailure(ctx::fail);
  }

  private static Row row(HistoryEntry h) {
    var e = h.entry();
    String order = h.orderKind() == null ? null : h.orderKind().replace('_', ' ') + " "
        + (h.service() == null ? "" : h.service()) + (h.country() == null ? "" : " · country " + h.country())
        + (h.orderState() == null ? "" : " · " + h.orderState().toLowerCase());
    return new Row(e.id(), e.createdAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().withNano(0).toString()
        .replace('T', ' '), e.kind().replace('_', ' '), Money.format(Math.abs(e.balanceDelta())), e.balanceDelta() >= 0,
        e.heldDelta() == 0 ? "" : Money.format(e.heldDelta()), e.orderId(), href(h), order, e.reference());
  }

  private static String href(HistoryEntry h) {
    if (h.entry().orderId() == null || h.orderKind() == null) return null;
    return h.orderKind().startsWith("rental") ? "/app/rentals/" + (h.rentalId() == null ? h.entry().orderId() : h.rentalId())
        : "/app/activations/" + h.entry().orderId();
  }

  private static Filter form(RoutingContext ctx) {
    String kind = blankToNull(ctx.request().getParam("kind"));
    String from = blankToNull(ctx.request().getParam("from"));
    String to = blankToNull(ctx.request().getParam("to"));
    String orderId = blankToNull(ctx.request().getParam("orderId"));
    StringBuilder q = new StringBuilder();
    if (kind != null) q.append("kind=").append(enc(kind)).append('&');
    if (from != null) q.append("from=").append(enc(from)).append('&');
    if (to != null) q.append("to=").append(enc(to)).append('&');
    if (orderId != null) q.append("orderId=").append(enc(orderId)).append('&');
    return new Filter(kind, from, to, orderId, q.toString());
  }

  /** The days are whole UTC days, both included. */
  static HistoryFilter filter(Filter f) {
    if (f.kind() != null && !HistoryFilter.KINDS.contains(f.kind())) {
      throw DomainException.invalid("choose a kind from the list");
    }
    OffsetDateTime from = day(f.from(), "from", 0);
    OffsetDateTime to = day(f.to(), "to", 1);
    if (from != null && to != null && !from.isBefore(to)) throw DomainException.invalid("'from' must not be after 'to'");
    if (f.orderId() != null && !f.orderId().matches("\\d{1,18}")) throw DomainException.invalid("an order id is a number");
    return new HistoryFilter(f.kind() == null ? List.of() : List.of(f.kind()), from, to,
        f.orderId() == null ? null : Long.valueOf(f.orderId()));
  }

  private static OffsetDateTime day(String raw, String name, int plusDays) {
    if (raw == null) return null;
    try {
      return LocalDate.parse(raw).plusDays(plusDays).atStartOfDay().atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("'" + name + "' must be a day such as 2030-01-31");
    }
  }

  private static Long cursor(RoutingContext ctx) {
    String raw = ctx.request().getParam("cursor");
    return raw != null && raw.matches("\\d{1,18}") ? Long.valueOf(raw) : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
