package com.otporchestrator.upstream;

import java.util.Map;
import java.util.Optional;

/**
 * The sms-activate numeric country ids we seed, with the lower-case English names the SMSHub agent
 * protocol uses for the same countries.
 */
public final class Countries {
  private static final Map<Integer, String> SMSHUB_NAMES = Map.ofEntries(
      Map.entry(0, "russia"), Map.entry(1, "ukraine"), Map.entry(2, "kazakhstan"),
      Map.entry(3, "china"), Map.entry(4, "philippines"), Map.entry(6, "indonesia"),
      Map.entry(7, "malaysia"), Map.entry(10, "vietnam"), Map.entry(15, "poland"),
      Map.entry(16, "england"), Map.entry(22, "india"), Map.entry(36, "canada"),
      Map.entry(43, "germany"), Map.entry(52, "thailand"), Map.entry(73, "brazil"),
      Map.entry(78, "france"), Map.entry(86, "italy"), Map.entry(187, "usa"));

  private Countries() {}

  public static Optional<String> smshubName(int country) {
    return Optional.ofNullable(SMSHUB_NAMES.get(country));
  }

  public static Optional<Integer> fromSmshubName(String name) {
    if (name == null) return Optional.empty();
    String wanted = name.trim().toLowerCase();
    return SMSHUB_NAMES.entrySet().stream()
        .filter(e -> e.getValue().equals(wanted)).map(Map.Entry::getKey).findFirst();
  }

  public static Map<Integer, String> smshubNames() {
    return SMSHUB_NAMES;
  }
}
