package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

class PolicyPresetsTest {
  static final java.util.List<String> PRESETS = PolicyLoader.PRESETS;

  @ParameterizedTest
  @FieldSource("PRESETS")
  void everyPresetLoadsAndNamesItsSeed(String name) {
    RefundPolicy p = PolicyLoader.preset(name);
    assertThat(p.source()).isEqualTo(name + ".txt");
    assertThat(p.id()).isEqualTo(name.replace('-', '_'));
    assertThat(p.version()).isEqualTo(1);
    assertThat(p.wallet().refundDestination()).isEqualTo("wallet");
  }

  @Test
  void presetFilesMatchTheSeedList() throws Exception {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/policies"))) {
      assertThat(files.map(f -> f.getFileName().toString().replace(".yaml", "")).sorted().toList())
          .containsExactlyElementsOf(PRESETS);
    }
  }

  @Test
  void esimpyEncodesFiveDayClaimsAndTelegramExclusion() {
    RefundPolicy p = PolicyLoader.preset("esimpy-return-policy");
    assertThat(p.effective()).contains(LocalDate.of(2026, 4, 1));
    assertThat(p.activation().window()).isEmpty();
    assertThat(p.autoRefunds()).containsExactly(AutoRefundEvent.NO_SMS_IN_WINDOW);
    assertThat(p.claims()).extracting(c -> c.id()).containsExactly("sms_not_received", "invalid_number", "major_defect");
    assertThat(p.claims()).allSatisfy(c -> assertThat(c.filingWindow()).contains(Duration.ofDays(5)));
    assertThat(p.claims().get(1).evidence()).extracting(e -> e.kind()).containsExactly("screenshot", "video");
    assertThat(p.claims().get(2).resolutionWithin()).contains(Duration.ofDays(5));
    assertThat(p.wallet().topUpsRefundable()).isFalse();
  }

  @Test
  void instaotpHasNoDateAndBusinessDayProcessing() {
    RefundPolicy p = PolicyLoader.preset("instaotp-refund-policy");
    assertThat(p.effective()).isEmpty();
    assertThat(p.review().resolutionWithin().orElseThrow().businessDaysMin()).contains(3);
    assertThat(p.review().resolutionWithin().orElseThrow().businessDaysMax()).contains(5);
  }

  @Test
  void otpdeskEncodesTwentyMinutesTwoMinuteDelayAndRentals() {
    RefundPolicy p = PolicyLoader.preset("otpdesk-refund-policy");
    assertThat(p.activation().window()).contains(Duration.ofMinutes(20));
    assertThat(p.activation().cancelNotBefore()).isEqualTo(Duration.ofMinutes(2));
    var r = p.rental().orElseThrow();
    assertThat(r.minDuration()).contains(Duration.ofHours(24));
    assertThat(r.maxDuration()).contains(Duration.ofDays(56));
    assertThat(r.cancelWindow()).contains(Duration.ofMinutes(20));
  }

  @Test
  void smsactivatorEncodesFourAutoRefundsAndPayoutMinimum() {
    RefundPolicy p = PolicyLoader.preset("smsactivator-refund-policy");
    assertThat(p.autoRefunds()).containsExactlyInAnyOrder(AutoRefundEvent.NO_SMS_IN_WINDOW,
        AutoRefundEvent.CANCEL_BEFORE_SMS, AutoRefundEvent.NUMBER_BROKEN_UPSTREAM, AutoRefundEvent.ALLOCATION_FAILURE);
    assertThat(p.wallet().payoutMinimum()).contains(new BigDecimal("20"));
    assertThat(p.review().escalation()).containsExactly("support_agent", "senior_agent");
    assertThat(p.review().decisionsFinal()).isFalse();
    assertThat(p.review().responseWithin().orElseThrow().businessDaysMax()).contains(1);
  }

  @Test
  void smssbEncodesOutageFinalDecisionsAndFortyEightHours() {
    RefundPolicy p = PolicyLoader.preset("smssb-refund-policy");
    assertThat(p.autoRefunds()).contains(AutoRefundEvent.PLATFORM_OUTAGE, AutoRefundEvent.ALLOCATION_FAILURE);
    assertThat(p.autoRefunds()).doesNotContain(AutoRefundEvent.NUMBER_BROKEN_UPSTREAM);
    assertThat(p.review().decisionsFinal()).isTrue();
    assertThat(p.review().resolutionWithin().orElseThrow().duration()).contains(Duration.ofHours(48));
    assertThat(p.rental().orElseThrow().cancelWindow()).isEqualTo(Optional.empty());
    assertThat(p.wallet().balanceExpires()).isFalse();
  }

  @Test
  void theIssue11EncodingsOfEachPreset() {
    RefundPolicy smssb = PolicyLoader.preset("smssb-refund-policy");
    assertThat(smssb.wallet().payouts().allowed()).as("available only as Platform credit").isFalse();
    assertThat(smssb.wallet().serviceCreditsOutagesOnly()).isTrue();
    assertThat(smssb.rental().orElseThrow().refunds()).isEqualTo(java.util.Map.of(
        AutoRefundEvent.ALLOCATION_FAILURE, RefundPolicy.RentalRefund.FULL,
        AutoRefundEvent.NUMBER_BROKEN_UPSTREAM, RefundPolicy.RentalRefund.FULL,
        AutoRefundEvent.PLATFORM_OUTAGE, RefundPolicy.RentalRefund.UNUSED_PRO_RATA));
    assertThat(smssb.claims().stream().filter(c -> c.appliesTo().contains(RefundPolicy.OrderKind.ACCOUNT))
        .map(RefundPolicy.ClaimType::id)).containsExactly("deposit_problem", "billing_concern");

    RefundPolicy smsactivator = PolicyLoader.preset("smsactivator-refund-policy");
    assertThat(smsactivator.wallet().payouts()).isEqualTo(new RefundPolicy.Payouts(true, Optional.of(new BigDecimal("20")), true));
    assertThat(smsactivator.rental().orElseThrow().refunds()).containsOnlyKeys(AutoRefundEvent.NUMBER_BROKEN_UPSTREAM,
        AutoRefundEvent.ALLOCATION_FAILURE);

    RefundPolicy esimpy = PolicyLoader.preset("esimpy-return-policy");
    assertThat(esimpy.wallet().payouts().allowed()).as("top-ups are non-refundable").isFalse();
    assertThat(esimpy.claims().stream().filter(c -> c.id().equals("major_defect")).findFirst().orElseThrow().remedyChoice())
        .isEqualTo(RefundPolicy.RemedyChoice.CUSTOMER);
    RefundPolicy instaotp = PolicyLoader.preset("instaotp-refund-policy");
    assertThat(instaotp.claims().stream().filter(c -> c.id().equals("major_defect")).findFirst().orElseThrow().remedyChoice())
        .as("'we'll issue a full refund or replacement': support decides").isEqualTo(RefundPolicy.RemedyChoice.SUPPORT);
    for (String silent : new String[] {"instaotp-refund-policy", "otpdesk-refund-policy"}) {
      assertThat(PolicyLoader.preset(silent).wallet().payouts().allowed()).as(silent).isFalse();
    }
  }
}
