package com.otporchestrator.order;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the verification code in an SMS text: a "ddd-ddd" group first, else the first standalone
 * run of 4 to 8 digits. Suppliers that extract codes themselves are trusted over this.
 */
public final class CodeExtractor {
  private static final Pattern DASHED = Pattern.compile("(?<![\\d-])(\\d{3})-(\\d{3})(?![\\d-])");
  private static final Pattern PLAIN = Pattern.compile("(?<!\\d)(\\d{4,8})(?!\\d)");

  private CodeExtractor() {}

  public static String extract(String text) {
    if (text == null) return null;
    Matcher dashed = DASHED.matcher(text);
    if (dashed.find()) return dashed.group(1) + dashed.group(2);
    Matcher plain = PLAIN.matcher(text);
    return plain.find() ? plain.group(1) : null;
  }
}
