package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Filing claims under each preset, sentence by sentence (docs/policies.md is the index): filing windows one second
 * before and after their end, the SMS condition, evidence rules, exclusions. Each test puts its preset in force, then
 * buys: the order records that version and the claim is judged by it.
 */
@DisplayName("Claims are judged by the order's policy version when they are filed")
class ClaimFilingTest {
  private static final Duration FIVE_DAYS = Duration.ofDays(5);
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(ClaimFilingTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    f = new ClaimFixture(node);
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "0.40");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static void assertRefused(Api.Response r, String rule, String policyId) {
    assertThat(r.status()).as("%s", r).isEqualTo(422);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    JsonObject p = r.json();
    assertThat(p.getString("type")).endsWith("/policy-refused");
    assertThat(p.getString("rule")).isEqualTo(rule);
    assertThat(p.getString("policyId")).isEqualTo(policyId);
    assertThat(p.getInteger("policyVersion")).isEqualTo(1);
  }

  private static long claimsOf(long orderId) {
    return Await.result(node.node().core().pool().preparedQuery("SELECT count(*) AS n FROM claims WHERE order_id = $1")
        .execute(Tuple.of(orderId))).iterator().next().getLong("n");
  }

  @Test
  @DisplayName("esimpy: 'Claims must be submitted within 5 days of the purchase date' - one second before is filed, one second after is refused")
  void esimpySmsNotReceivedWithinFiveDays() {
    f.inForce("esimpy_return_policy");
    Customer c = node.customer("esimpy-window", "10.00");
    long inside = f.buy(c);
    long outside = f.buy(c);
    f.purchasedAgo(inside, FIVE_DAYS.minus(SECOND));
    f.purchasedAgo(outside, FIVE_DAYS.plus(SECOND));

    JsonObject claim = f.filed(c, inside, "sms_not_received");
    assertThat(claim.getString("state")).isEqualTo("SUBMITTED");
    assertThat(claim.getJsonObject("policy")).isEqualTo(new JsonObject().put("id", "esimpy_return_policy").put("version", 1));
    assertThat(claim.getJsonArray("history").getJsonObject(0).getString("by")).isEqualTo("customer:" + c.id());

    Api.Response late = f.file(c, outside, "sms_not_received");
    assertRefused(late, "claim.filing_window", "esimpy_return_policy");
    assertThat(claimsOf(outside)).isZero();
  }

  @Test
  @DisplayName("esimpy: an invalid number needs a screenshot, and a video for Telegram 2FA; one second after 5 days it is refused")
  void esimpyInvalidNumberEvidence() {
    f.inForce("esimpy_return_policy");
    Customer c = node.customer("esimpy-invalid", "10.00");
    long plain = f.captured(c);
    f.purchasedAgo(plain, FIVE_DAYS.minus(SECOND));
    JsonObject claim = f.filed(c, plain, "invalid_number");
    assertThat(claim.getString("state")).isEqualTo("NEEDS_EVIDENCE");
    assertThat(claim.getJsonArray("missingEvidence").getList()).containsExactly("screenshot");

    long twoFa = f.buy(c, "wa");
    f.sms(twoFa);
    JsonObject video = f.filed(c, twoFa, "invalid_number", "telegram_2fa");
    assertThat(video.getJsonArray("missingEvidence").getList()).containsExactly("screenshot", "video");

    long late = f.captured(c);
    f.purchasedAgo(late, FIVE_DAYS.plus(SECOND));
    assertRefused(f.file(c, late, "invalid_number"), "claim.filing_window", "esimpy_return_policy");
  }

  @Test
  @DisplayName("esimpy: 'Telegram 2FA numbers purchased via API are not eligible for a refund' - refused naming the exclusion")
  void esimpyTelegram2faViaApiIsExcluded() {
    f.inForce("esimpy_return_policy");
    Customer c = node.customer("esimpy-2fa", "10.00");
    long tg = f.captured(c);
    Api.Response r = f.file(c, tg, "invalid_number", "telegram_2fa");
    assertRefused(r, "telegram_2fa_via_api", "esimpy_return_policy");
    assertThat(r.json().getString("exclusion")).isEqualTo("telegram_2fa_via_api");
    assertThat(r.json().getString("detail")).contains("Telegram 2FA numbers purchased via API");
    assertThat(claimsOf(tg)).isZero();
  }

  @Test
  @DisplayName("esimpy: an invalid-number claim needs an SMS; a no-SMS claim refuses an order that got one")
  void esimpySmsConditions() {
    f.inForce("esimpy_return_policy");
    Customer c = node.customer("esimpy-when", "10.00");
    long waiting = f.buy(c);
    assertRefused(f.file(c, waiting, "invalid_number"), "claim.when.after_sms", "esimpy_return_policy");
    long captured = f.captured(c);
    assertRefused(f.file(c, captured, "sms_not_received"), "claim.when.no_sms", "esimpy_return_policy");
    assertRefused(f.file(c, captured, "no_such_type"), "claim.unknown_type", "esimpy_return_policy");
  }

  @Test
  @DisplayName("instaotp: a major defect within 5 days is filed with its 5-day resolution and automatic refund; after, refused")
  void instaotpMajorDefect() {
    f.inForce("instaotp_refund_policy");
    Customer c = node.customer("instaotp", "10.00");
    long inside = f.captured(c);
    long outside = f.captured(c);
    f.purchasedAgo(inside, FIVE_DAYS.minus(SECOND));
    f.purchasedAgo(outside, FIVE_DAYS.plus(SECOND));
    JsonObject claim = f.filed(c, inside, "major_defect");
    assertThat(claim.getString("automaticRemedy")).isEqualTo("refund");
    assertThat(Duration.between(Instant.parse(claim.getString("filedAt")), Instant.parse(claim.getString("resolutionDueAt"))))
        .isEqualTo(FIVE_DAYS);
    assertRefused(f.file(c, outside, "major_defect"), "claim.filing_window", "instaotp_refund_policy");
  }

  @Test
  @DisplayName("instaotp: a non-receipt claim is filed without evidence; its resolution deadline is 5 business days")
  void instaotpNonReceiptBusinessDays() {
    f.inForce("instaotp_refund_policy");
    Customer c = node.customer("instaotp-bd", "10.00");
    long waiting = f.buy(c);
    JsonObject claim = f.filed(c, waiting, "non_receipt_of_sms");
    assertThat(claim.getString("state")).isEqualTo("SUBMITTED");
    Instant filed = Instant.parse(claim.getString("filedAt"));
    assertThat(Instant.parse(claim.getString("resolutionDueAt"))).isEqualTo(businessDays(filed, 5));
    assertThat(claim.getString("automaticRemedy")).isNull();
  }

  @Test
  @DisplayName("otpdesk: provider-side errors have no filing window (filed a year later); video only for consistent issues")
  void otpdeskProviderSideError() {
    f.inForce("otpdesk_refund_policy");
    Customer c = node.customer("otpdesk", "10.00");
    long old = f.captured(c);
    f.purchasedAgo(old, Duration.ofDays(365));
    JsonObject claim = f.filed(c, old, "provider_side_error");
    assertThat(claim.getString("state")).isEqualTo("SUBMITTED");
    long again = f.captured(c);
    JsonObject consistent = f.filed(c, again, "provider_side_error", "consistent_issues");
    assertThat(consistent.getString("state")).isEqualTo("NEEDS_EVIDENCE");
    assertThat(consistent.getJsonArray("missingEvidence").getList()).containsExactly("video_of_registration");
  }

  @Test
  @DisplayName("smsactivator: tickets after an SMS, a rental claim refused on an activation, a response due in one business day")
  void smsactivatorTickets() {
    f.inForce("smsactivator_refund_policy");
    Customer c = node.customer("smsactivator", "10.00");
    long captured = f.captured(c);
    f.purchasedAgo(captured, Duration.ofDays(30));
    assertRefused(f.file(c, captured, "rental_issue"), "claim.applies_to", "smsactivator_refund_policy");
    JsonObject claim = f.filed(c, captured, "wrong_service_sms");
    Instant filed = Instant.parse(claim.getString("filedAt"));
    assertThat(Instant.parse(claim.getString("responseDueAt"))).isEqualTo(businessDays(filed, 1));
    assertThat(claim.getJsonObject("escalation")).isEqualTo(new JsonObject().put("level", 0).put("role", "support_agent"));
    long waiting = f.buy(c);
    assertRefused(f.file(c, waiting, "sms_rejected_by_destination"), "claim.when.after_sms", "smsactivator_refund_policy");
  }

  @Test
  @DisplayName("smssb: a billing claim needs only the order id and description it carries; a refunded order takes none")
  void smssbRefundNotApplied() {
    f.inForce("smssb_refund_policy");
    Customer c = node.customer("smssb", "10.00");
    long captured = f.captured(c);
    f.purchasedAgo(captured, Duration.ofDays(400));
    JsonObject claim = f.filed(c, captured, "refund_not_applied");
    assertThat(claim.getString("state")).isEqualTo("SUBMITTED");
    assertThat(claim.getJsonArray("missingEvidence")).isEmpty();
    assertThat(Duration.between(Instant.parse(claim.getString("filedAt")), Instant.parse(claim.getString("resolutionDueAt"))))
        .isEqualTo(Duration.ofHours(48));
    long cancelled = f.buy(c);
    f.cancel(c, cancelled);
    assertRefused(f.file(c, cancelled, "refund_not_applied"), "refunded.cancelled", "smssb_refund_policy");
  }

  @Test
  @DisplayName("smssb: 'deny refunds ... if fraudulent or abusive activity is detected' - an open abuse flag that acted excludes claims")
  void smssbFraudFlagged() {
    f.inForce("smssb_refund_policy");
    Customer c = node.customer("smssb-flagged", "10.00");
    long captured = f.captured(c);
    String flag = "INSERT INTO abuse_flags (account_id, signal, observed, evidence, action) VALUES ($1, $2, 'test', '{}', $3)";
    // an observe-only flag does not deny anything
    Await.result(node.node().core().pool().preparedQuery(flag).execute(Tuple.of(c.id(), "shared_ip", "flag")));
    long observed = f.filed(c, captured, "refund_not_applied").getLong("id");
    assertThat(f.admin("reject", observed, new JsonObject().put("reason", "fine")).status()).isEqualTo(200);
    Await.result(node.node().core().pool().preparedQuery(flag).execute(Tuple.of(c.id(), "cancels", "throttle")));
    assertRefused(f.file(c, captured, "refund_not_applied"), "fraud_abuse", "smssb_refund_policy");
  }

  @Test
  @DisplayName("one open claim per order: the second is a 409 until the first is decided")
  void oneOpenClaimPerOrder() {
    f.inForce("smsactivator_refund_policy");
    Customer c = node.customer("one-open", "10.00");
    long captured = f.captured(c);
    long first = f.filed(c, captured, "wrong_service_sms").getLong("id");
    Api.Response second = f.file(c, captured, "wrong_service_sms");
    assertThat(second.status()).as("%s", second).isEqualTo(409);
    assertThat(f.admin("reject", first, new JsonObject().put("reason", "the right service's SMS")).status()).isEqualTo(200);
    // smsactivator's decisions are not final; under smssb's they are (FinalDecisionsTest)
    assertThat(f.file(c, captured, "wrong_service_sms").status()).isEqualTo(201);
  }

  @Test
  @DisplayName("a new policy version does not change the filing window of orders bought under the old one")
  void newVersionKeepsOldOrdersWindow() {
    f.inForce("instaotp_refund_policy");
    Customer c = node.customer("versions", "10.00");
    long old = f.captured(c);
    f.publish(ClaimFixture.preset("instaotp-refund-policy").replace("version: 1", "version: 2")
        .replace("filingWindow: P5D              # \"Contact", "filingWindow: P1D              # \"Contact"));
    long newer = f.captured(c);
    f.purchasedAgo(old, Duration.ofDays(2));
    f.purchasedAgo(newer, Duration.ofDays(2));
    assertThat(f.file(c, old, "major_defect").status()).isEqualTo(201);
    Api.Response refused = f.file(c, newer, "major_defect");
    assertThat(refused.status()).as("%s", refused).isEqualTo(422);
    assertThat(refused.json().getInteger("policyVersion")).isEqualTo(2);
  }

  /** The documented rule (docs/claims.md): step a day at a time from the filing instant, counting only Monday to Friday (UTC). */
  static Instant businessDays(Instant from, int n) {
    ZonedDateTime t = from.atZone(ZoneOffset.UTC);
    int counted = 0;
    while (counted < n) {
      t = t.plusHours(24);
      if (t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY) counted++;
    }
    return t.toInstant();
  }
}
