package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
  static final String VALID = """
      id: test_policy
      version: 2
      source: test.txt
      activation:
        window: PT20M
        cancelNotBefore: PT2M
      autoRefunds: [no_sms_in_window]
      claims:
        - id: c1
          description: d
          appliesTo: [activation]
          when: any
          filingWindow: P5D
      exclusions: []
      review:
        decisionsFinal: false
      wallet:
        refundDestination: wallet
        currency: USD
        topUpsRefundable: false
        balanceExpires: false
      """;

  static PolicyValidationException reject(String yaml) {
    try {
      PolicyLoader.parse("doc.yaml", yaml);
    } catch (PolicyValidationException e) {
      return e;
    }
    throw new AssertionError("accepted: " + yaml);
  }

  @Test
  void acceptsAMinimalDocument() {
    RefundPolicy p = PolicyLoader.parse("doc.yaml", VALID);
    assertThat(p.version()).isEqualTo(2);
    assertThat(p.rental()).isEmpty();
  }

  @Test
  void unknownKeysAreNamedWithTheirPath() {
    assertThat(reject(VALID + "colour: red\n").problems()).containsExactly(
        "colour: unknown key (allowed: activation, autoRefunds, claims, effective, exclusions, id, rental, review, source, version, wallet)");
    assertThat(reject(VALID.replace("filingWindow: P5D", "filingWindow: P5D\n    deadline: P1D")).problems())
        .singleElement().asString().startsWith("claims[0].deadline: unknown key");
  }

  @Test
  void wrongTypes() {
    assertThat(reject(VALID.replace("version: 2", "version: two")).problems())
        .containsExactly("version: expected an integer, got string \"two\"");
    assertThat(reject(VALID.replace("decisionsFinal: false", "decisionsFinal: maybe")).problems())
        .containsExactly("review.decisionsFinal: expected true or false, got string \"maybe\"");
    assertThat(reject(VALID.replace("autoRefunds: [no_sms_in_window]", "autoRefunds: no_sms_in_window")).problems())
        .containsExactly("autoRefunds: expected a list, got string \"no_sms_in_window\"");
    assertThat(reject(VALID.replace("activation:\n  window: PT20M\n  cancelNotBefore: PT2M", "activation: 20")).problems())
        .containsExactly("activation: expected a mapping, got number 20");
  }

  @Test
  void negativeAndMalformedDurations() {
    assertThat(reject(VALID.replace("filingWindow: P5D", "filingWindow: -P5D")).problems())
        .containsExactly("claims[0].filingWindow: must not be negative, got -P5D");
    assertThat(reject(VALID.replace("window: PT20M", "window: 20 minutes")).problems())
        .containsExactly("activation.window: expected an ISO-8601 duration such as PT20M or P5D, got 20 minutes");
    assertThat(reject(VALID.replace("cancelNotBefore: PT2M", "cancelNotBefore: PT30M")).problems())
        .containsExactly("activation.cancelNotBefore: must be shorter than window");
  }

  @Test
  void missingRequiredFields() {
    assertThat(reject(VALID.replace("source: test.txt\n", "")).problems()).containsExactly("source: required");
    assertThat(reject(VALID.replace("    when: any\n", "")).problems()).containsExactly("claims[0].when: required");
    assertThat(reject(VALID.replace("  currency: USD\n", "")).problems()).containsExactly("wallet.currency: required");
  }

  @Test
  void badEnumValuesAndReferences() {
    assertThat(reject(VALID.replace("[no_sms_in_window]", "[no_sms_in_window, refund_everything]")).problems())
        .singleElement().asString()
        .startsWith("autoRefunds[1]: unknown value refund_everything (allowed: no_sms_in_window, cancel_before_sms");
    assertThat(reject(VALID.replace("exclusions: []", "exclusions:\n  - {id: x, text: t, orderTag: api, claims: [c9]}"))
        .problems()).containsExactly("exclusions[0].claims[0]: unknown claim id c9");
    assertThat(reject(VALID.replace("[no_sms_in_window]", "[no_sms_in_window, no_sms_in_window]")).problems())
        .containsExactly("autoRefunds[1]: no_sms_in_window listed twice");
  }

  @Test
  void everyProblemIsReportedAtOnceAndTheMessageNamesTheDocument() {
    PolicyValidationException e = reject(VALID.replace("version: 2", "version: 0").replace("currency: USD", "currency: dollars"));
    assertThat(e.problems()).containsExactly("version: must be at least 1, got 0",
        "wallet.currency: expected an ISO-4217 code, got dollars");
    assertThat(e.getMessage()).startsWith("doc.yaml: version: must be at least 1");
  }

  @Test
  void duplicateKeysAndBrokenYaml() {
    assertThat(reject(VALID + "version: 3\n").problems()).singleElement().asString()
        .contains("not valid YAML").contains("version");
    assertThatThrownBy(() -> PolicyLoader.parse("doc.yaml", "- a list\n"))
        .isInstanceOf(PolicyValidationException.class).hasMessageContaining("$: expected a mapping at the top level");
  }
}
