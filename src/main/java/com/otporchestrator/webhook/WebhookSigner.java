package com.otporchestrator.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures per the Standard Webhooks specification: {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "<webhook-id>.<webhook-timestamp>.<body>">}, keyed with the base64-decoded part of the {@code whsec_} secret, one
 * space-separated {@code v1,...} per secret while a secret rotates (docs/api.md, "Webhooks"). The specification's own
 * libraries ({@code standardwebhooks}) verify it.
 */
public final class WebhookSigner {
  static final String PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();
  /** 32 random bytes: the specification asks for 24 to 64. */
  private static final int KEY_BYTES = 32;

  private WebhookSigner() {}

  /** A new signing secret: {@code whsec_} and 32 random bytes in base64. */
  public static String newSecret() {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The value of the {@code webhook-signature} header: a {@code v1,<signature>} per secret given (the current one
   * first, then one still honoured during a rotation), space-separated.
   */
  public static String signature(String msgId, long timestampSeconds, String body, String... secrets) {
    List<String> parts = new ArrayList<>(secrets.length);
    for (String secret : secrets) {
      if (secret != null) parts.add("v1," + sign(secret, msgId + "." + timestampSeconds + "." + body));
    }
    return String.join(" ", parts);
  }

  /** base64(HMAC-SHA256(key, message)), the key being the base64-decoded part of the secret after {@code whsec_}. */
  static String sign(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /**
   * The key bytes of a secret. Secrets made before the Standard Webhooks scheme are {@code whsec_} and 64 hex digits:
   * hex digits are base64 characters too, so they decode like any other (to 48 bytes), exactly as the specification's
   * libraries decode them, and keep working.
   */
  static byte[] key(String secret) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    return Base64.getDecoder().decode(encoded);
  }
}
