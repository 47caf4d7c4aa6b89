package com.otporchestrator.order;

import com.otporchestrator.upstream.IncomingSms;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An SMS as any order stores it, activation or rental. Deliveries arrive at least once from every direction: the
 * supplier's SMS id (else a hash of sender and text) is the key that makes a repeat a no-op.
 *
 * @param code the supplier's code, else the one found in the text ({@link CodeExtractor}), else null
 * @param text the text; polled suppliers often report only the code (sms-activate's STATUS_OK:code), which is then the
 *             text too
 */
public record StoredSms(String dedupeKey, String sender, String text, String code) {
  public static StoredSms of(IncomingSms sms) {
    String code = sms.code() != null && !sms.code().isBlank() ? sms.code().trim() : CodeExtractor.extract(sms.text());
    return new StoredSms(dedupeKey(sms), sms.sender(), sms.text() != null ? sms.text() : code, code);
  }

  private static String dedupeKey(IncomingSms sms) {
    if (sms.providerSmsId() != null && !sms.providerSmsId().isBlank()) return "id:" + sms.providerSmsId();
    return "sha256:" + sha256(sms.sender() + "\n" + sms.text());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
