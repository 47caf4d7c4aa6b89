package com.otporchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.otporchestrator.common.DomainException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Webhook URL rules and the signature format")
class WebhookUrlsAndSignerTest {
  private final WebhookUrls strict = new WebhookUrls(false);
  private final WebhookUrls permissive = new WebhookUrls(true);

  @ParameterizedTest
  @ValueSource(strings = {"https://example.com/hook", "http://hooks.example.com:8443/a/b?x=1", "https://93.184.216.34/h",
      "https://[2606:2800:220:1::]/h"})
  void acceptsPublicHttpUrls(String url) {
    assertThat(strict.validate("url", url)).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost/h", "http://127.0.0.1:8080/h", "http://10.0.0.5/h", "http://192.168.1.1/h",
      "http://172.16.0.1/h", "http://169.254.169.254/latest/meta-data", "http://[::1]/h", "http://0.0.0.0/h",
      "http://[fd00::1]/h", "http://100.64.0.1/h", "http://api.localhost/h"})
  void refusesLoopbackAndPrivateTargetsUnlessAllowed(String url) {
    assertThatThrownBy(() -> strict.validate("url", url)).isInstanceOf(DomainException.class)
        .hasMessageContaining("public host");
    assertThat(permissive.validate("url", url)).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://999.1.1.1/h", "ftp://example.com/x", "https://u:p@example.com/", "https://example.com/#f",
      "https:///path", "https://example.com:0/", "https://exa mple.com/", "example.com/hook"})
  void refusesMalformedUrlsEvenWhenPrivateTargetsAreAllowed(String url) {
    assertThatThrownBy(() -> permissive.validate("url", url)).isInstanceOf(DomainException.class)
        .hasMessageStartingWith("'url' ");
  }

  @Test
  void signsTimestampDotBodyWithTheSecretAsOpensslDoes() {
    // printf '%s' '1700000000.{"eventId":"evt_1"}' | openssl dgst -sha256 -hmac 'whsec_test' -hex
    assertThat(WebhookSigner.signature("whsec_test", 1_700_000_000L, "{\"eventId\":\"evt_1\"}"))
        .isEqualTo("v1=e5d7e0bf889a38c38767b47b28f8d24b766e8a958515f0f2056f461e17ca73af");
    assertThat(WebhookSigner.newSecret()).matches("whsec_[0-9a-f]{64}").isNotEqualTo(WebhookSigner.newSecret());
  }
}
