package com.otporchestrator.policy;

import static com.otporchestrator.policy.PolicyLoaderTest.VALID;
import static com.otporchestrator.policy.PolicyLoaderTest.reject;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import com.otporchestrator.policy.RefundPolicy.OrderKind;
import com.otporchestrator.policy.RefundPolicy.RemedyChoice;
import com.otporchestrator.policy.RefundPolicy.RentalRefund;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The newer fields added to the policy document, each validated with its path: {@code wallet.payouts},
 * {@code wallet.serviceCredits}, {@code rental.refunds}, {@code claims[].remedyChoice}, {@code claims[].remedies} values,
 * and claim types that apply to the account. The presets encode their sentences with them (PolicyPresetsTest and the
 * scenario tests).
 */
@DisplayName("The newer policy fields, loaded strictly")
class PolicyNewFieldsTest {
  private static final String WALLET_END = "  balanceExpires: false\n";

  private static String withWallet(String more) {
    return VALID.replace(WALLET_END, WALLET_END + more);
  }

  private static String withRental(String rental) {
    return VALID.replace("autoRefunds:", rental + "autoRefunds:");
  }

  private static String withClaim(String claim) {
    return VALID.replace("exclusions: []", claim + "exclusions: []");
  }

  @Test
  @DisplayName("payouts: allowed, a minimum in USD, closing the account; the first versions' payoutMinimum still reads")
  void payouts() {
    RefundPolicy leaving = PolicyLoader.parse("doc", withWallet("  payouts:\n    allowed: true\n    minimum: 20\n"
        + "    closesAccount: true\n"));
    assertThat(leaving.wallet().payouts()).isEqualTo(new RefundPolicy.Payouts(true, java.util.Optional.of(new BigDecimal("20")), true));
    assertThat(PolicyLoader.parse("doc", VALID).wallet().payouts().allowed()).as("not stated: not offered").isFalse();
    assertThat(PolicyLoader.parse("doc", withWallet("  payoutMinimum: 20\n")).wallet().payouts())
        .isEqualTo(new RefundPolicy.Payouts(true, java.util.Optional.of(new BigDecimal("20")), false));

    assertThat(reject(withWallet("  payouts:\n    minimum: 20\n")).problems()).containsExactly("wallet.payouts.allowed: required");
    assertThat(reject(withWallet("  payouts:\n    allowed: false\n    minimum: 5\n")).problems())
        .containsExactly("wallet.payouts.minimum: payouts are not allowed");
    assertThat(reject(withWallet("  payouts:\n    allowed: false\n    closesAccount: true\n")).problems())
        .containsExactly("wallet.payouts.closesAccount: payouts are not allowed");
    assertThat(reject(withWallet("  payouts:\n    allowed: true\n    minimum: -1\n")).problems())
        .containsExactly("wallet.payouts.minimum: must not be negative");
    assertThat(reject(withWallet("  payouts:\n    allowed: true\n    minimum: twenty\n")).problems())
        .containsExactly("wallet.payouts.minimum: expected a number, got string \"twenty\"");
    assertThat(reject(withWallet("  payouts:\n    allowed: true\n    minimum: 0.0000001\n")).problems())
        .containsExactly("wallet.payouts.minimum: finer than a micro-dollar");
    assertThat(reject(withWallet("  payouts:\n    allowed: yes please\n")).problems())
        .containsExactly("wallet.payouts.allowed: expected true or false, got string \"yes please\"");
    assertThat(reject(withWallet("  payouts:\n    allowed: true\n    toCrypto: true\n")).problems()).singleElement()
        .asString().startsWith("wallet.payouts.toCrypto: unknown key");
    assertThat(reject(withWallet("  payoutMinimum: 20\n  payouts:\n    allowed: true\n")).problems())
        .containsExactly("wallet.payoutMinimum: give it as payouts.minimum, not both");
  }

  @Test
  @DisplayName("serviceCredits.outagesOnly")
  void serviceCredits() {
    assertThat(PolicyLoader.parse("doc", withWallet("  serviceCredits:\n    outagesOnly: true\n")).wallet()
        .serviceCreditsOutagesOnly()).isTrue();
    assertThat(reject(withWallet("  serviceCredits:\n    outagesOnly: sometimes\n")).problems())
        .containsExactly("wallet.serviceCredits.outagesOnly: expected true or false, got string \"sometimes\"");
    assertThat(reject(withWallet("  serviceCredits: often\n")).problems())
        .containsExactly("wallet.serviceCredits: expected a mapping, got string \"often\"");
  }

  @Test
  @DisplayName("rental.refunds: an upstream event to full or unused_pro_rata")
  void rentalRefunds() {
    RefundPolicy p = PolicyLoader.parse("doc", withRental("rental:\n  refunds:\n    number_broken_upstream: full\n"
        + "    platform_outage: unused_pro_rata\n"));
    assertThat(p.rental().orElseThrow().refunds()).isEqualTo(Map.of(AutoRefundEvent.NUMBER_BROKEN_UPSTREAM, RentalRefund.FULL,
        AutoRefundEvent.PLATFORM_OUTAGE, RentalRefund.UNUSED_PRO_RATA));
    assertThat(RefundDecisions.refundsAutomatically(p, OrderKind.RENTAL, AutoRefundEvent.PLATFORM_OUTAGE)).isTrue();
    assertThat(RefundDecisions.refundsAutomatically(p, OrderKind.ACTIVATION, AutoRefundEvent.PLATFORM_OUTAGE))
        .as("the activation events are autoRefunds'").isFalse();

    assertThat(reject(withRental("rental:\n  refunds:\n    platform_outage: half\n")).problems())
        .containsExactly("rental.refunds.platform_outage: unknown value half (allowed: full, unused_pro_rata)");
    assertThat(reject(withRental("rental:\n  refunds:\n    no_sms_in_window: full\n")).problems()).containsExactly(
        "rental.refunds.no_sms_in_window: a rental is refunded automatically only for number_broken_upstream,"
            + " allocation_failure, platform_outage");
    assertThat(reject(withRental("rental:\n  refunds:\n    sunspots: full\n")).problems()).singleElement().asString()
        .startsWith("rental.refunds.sunspots: unknown value sunspots");
    assertThat(reject(withRental("rental:\n  refunds:\n    platform_outage: 1\n")).problems())
        .containsExactly("rental.refunds.platform_outage: expected full or unused_pro_rata, got number 1");
    assertThat(reject(withRental("rental:\n  refunds: [full]\n")).problems())
        .containsExactly("rental.refunds: expected a mapping, got a list");
  }

  @Test
  @DisplayName("remedies and remedyChoice")
  void remedies() {
    RefundPolicy p = PolicyLoader.parse("doc", withClaim("  - {id: c2, description: d, appliesTo: [activation], when: any,"
        + " remedies: [full_refund, replacement], remedyChoice: customer}\n"));
    assertThat(p.claims().get(1).remedyChoice()).isEqualTo(RemedyChoice.CUSTOMER);
    assertThat(p.claims().get(0).remedyChoice()).as("not stated: support decides").isEqualTo(RemedyChoice.SUPPORT);

    assertThat(reject(withClaim("  - {id: c2, description: d, appliesTo: [activation], when: any, remedies: [full_refund],"
        + " remedyChoice: customer}\n")).problems())
        .containsExactly("claims[1].remedyChoice: customer needs at least two remedies to choose from");
    assertThat(reject(withClaim("  - {id: c2, description: d, appliesTo: [activation], when: any,"
        + " remedies: [full_refund, replacement], remedyChoice: lottery}\n")).problems())
        .containsExactly("claims[1].remedyChoice: unknown value lottery (allowed: support, customer)");
    assertThat(reject(withClaim("  - {id: c2, description: d, appliesTo: [activation], when: any, remedies: [cash]}\n"))
        .problems()).containsExactly("claims[1].remedies[0]: unknown value cash (allowed: full_refund, replacement)");
    assertThat(reject(withClaim("  - {id: c2, description: d, appliesTo: [activation], when: any,"
        + " remedies: [replacement, replacement]}\n")).problems())
        .containsExactly("claims[1].remedies[1]: replacement listed twice");
  }

  @Test
  @DisplayName("claim types on the account: alone, any time, no filing window, no remedies")
  void accountClaims() {
    RefundPolicy p = PolicyLoader.parse("doc", withClaim("  - {id: deposit_problem, description: d, appliesTo: [account],"
        + " when: any}\n"));
    assertThat(p.claims().get(1).appliesTo()).containsExactly(OrderKind.ACCOUNT);
    assertThat(reject(withClaim("  - {id: c2, description: d, appliesTo: [account, rental], when: any}\n")).problems())
        .containsExactly("claims[1].appliesTo: account cannot be combined with order kinds");
    assertThat(reject(withClaim("  - {id: c2, description: d, appliesTo: [account], when: no_sms}\n")).problems())
        .containsExactly("claims[1].when: an account claim has no SMS; use any");
    assertThat(reject(withClaim("  - {id: c2, description: d, appliesTo: [account], when: any, filingWindow: P5D}\n"))
        .problems()).containsExactly("claims[1].filingWindow: an account claim has no purchase to count it from");
    assertThat(reject(withClaim("  - {id: c2, description: d, appliesTo: [account], when: any, remedies: [full_refund]}\n"))
        .problems()).containsExactly("claims[1].remedies: an account claim is resolved by an adjustment; list none");
  }
}
