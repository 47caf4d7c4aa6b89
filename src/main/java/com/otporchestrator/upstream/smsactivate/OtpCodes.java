package com.otporchestrator.upstream.smsactivate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a verification code in an SMS text when the upstream did not extract one. */
final class OtpCodes {
  // 4 to 8 digits, or ddd-ddd, not part of a longer digit run (phone numbers).
  private static final Pattern CODE = Pattern.compile("(?<!\\d)(\\d{3}-\\d{3}|\\d{4,8})(?!\\d)");

  private OtpCodes() {}

  static String extract(String text) {
    if (text == null) return null;
    Matcher m = CODE.matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
