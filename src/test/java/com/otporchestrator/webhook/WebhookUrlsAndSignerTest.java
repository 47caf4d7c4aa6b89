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
  void signsTheStandardWebhooksWayMatchingTheSpecificationsOwnExample() {
    // the Standard Webhooks libraries' test vector: secret, msg id, timestamp, body -> signature
    assertThat(WebhookSigner.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330L, "{\"test\": 2432232314}",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assertThat(WebhookSigner.newSecret()).matches("whsec_[A-Za-z0-9+/]{43}=").isNotEqualTo(WebhookSigner.newSecret());
    assertThat(WebhookSigner.key(WebhookSigner.newSecret())).hasSize(32);
  }

  @Test
  void signsWithEverySecretGivenWhileOneRotates() {
    String current = WebhookSigner.newSecret();
    String previous = WebhookSigner.newSecret();
    String both = WebhookSigner.signature("evt_1", 1_700_000_000L, "{}", current, previous);
    assertThat(both.split(" ")).containsExactly(WebhookSigner.signature("evt_1", 1_700_000_000L, "{}", current),
        WebhookSigner.signature("evt_1", 1_700_000_000L, "{}", previous));
    // a secret made before the scheme changed (whsec_ + 64 hex digits) decodes as base64, as the libraries read it
    assertThat(WebhookSigner.key("whsec_" + "ab".repeat(32))).hasSize(48);
  }
}
