package com.otporchestrator.upstream;

import java.time.Instant;

/**
 * One SMS as a supplier reported it. {@code providerSmsId} is null when the protocol has no id (we
 * then deduplicate on a content hash); {@code code} is null when the supplier did not extract one.
 *
 * <p>NUL characters are removed from every text field here, whichever protocol brought the SMS: PostgreSQL cannot
 * store them, and refusing the SMS would make a pushing supplier send it again for ever (only a success reply stops
 * it) while the customer never sees the code. A sender left empty by the cleaning becomes null.
 */
public record IncomingSms(String providerSmsId, String sender, String text, String code, Instant receivedAt) {
  public IncomingSms {
    providerSmsId = withoutNul(providerSmsId);
    sender = withoutNul(sender);
    if (sender != null && sender.isEmpty()) sender = null;
    text = withoutNul(text);
    code = withoutNul(code);
  }

  /** The text without its NUL characters (null stays null). */
  public static String withoutNul(String text) {
    return text == null || text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "");
  }
}
