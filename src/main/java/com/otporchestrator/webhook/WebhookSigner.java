package com.otporchestrator.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: {@code Webhook-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>},
 * the key being the secret string's UTF-8 bytes as shown to the customer ("whsec_..."), so
 * {@code openssl dgst -sha256 -hmac "$SECRET"} verifies it (docs/api.md, "Webhooks").
 */
public final class WebhookSigner {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private WebhookSigner() {}

  /** A new signing secret: 32 random bytes, hex, with a recognisable prefix. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "whsec_" + HEX.formatHex(bytes);
  }

  /** The value of the {@code Webhook-Signature} header. */
  public static String signature(String secret, long timestampSeconds, String body) {
    return "v1=" + hmacHex(secret, timestampSeconds + "." + body);
  }

  static String hmacHex(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HEX.formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
