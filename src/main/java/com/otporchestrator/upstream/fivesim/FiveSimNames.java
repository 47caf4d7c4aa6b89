package com.otporchestrator.upstream.fivesim;

import java.util.Map;
import java.util.Optional;

/**
 * 5sim names countries and products in words ({@code england}, {@code telegram}); we use
 * sms-activate's numeric country ids and service codes. The table covers what V2 seeds.
 */
final class FiveSimNames {
  private static final Map<Integer, String> COUNTRIES = Map.ofEntries(
      Map.entry(0, "russia"), Map.entry(1, "ukraine"), Map.entry(2, "kazakhstan"), Map.entry(3, "china"),
      Map.entry(4, "philippines"), Map.entry(6, "indonesia"), Map.entry(7, "malaysia"), Map.entry(10, "vietnam"),
      Map.entry(15, "poland"), Map.entry(16, "england"), Map.entry(22, "india"), Map.entry(36, "canada"),
      Map.entry(43, "germany"), Map.entry(52, "thailand"), Map.entry(73, "brazil"), Map.entry(78, "france"),
      Map.entry(86, "italy"), Map.entry(187, "usa"));

  private static final Map<String, String> PRODUCTS = Map.ofEntries(
      Map.entry("tg", "telegram"), Map.entry("wa", "whatsapp"), Map.entry("go", "google"),
      Map.entry("fb", "facebook"), Map.entry("ig", "instagram"), Map.entry("vk", "vkontakte"),
      Map.entry("ok", "odnoklassniki"), Map.entry("tw", "twitter"), Map.entry("ds", "discord"),
      Map.entry("am", "amazon"), Map.entry("mm", "microsoft"), Map.entry("oi", "tinder"),
      Map.entry("lf", "tiktok"), Map.entry("dr", "openai"), Map.entry("ot", "other"));

  private FiveSimNames() {}

  static Optional<String> country(int id) {
    return Optional.ofNullable(COUNTRIES.get(id));
  }

  static Optional<String> product(String service) {
    return Optional.ofNullable(PRODUCTS.get(service));
  }

  static Optional<Integer> countryId(String name) {
    return COUNTRIES.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst();
  }

  static Optional<String> service(String product) {
    return PRODUCTS.entrySet().stream().filter(e -> e.getValue().equals(product)).map(Map.Entry::getKey).findFirst();
  }
}
