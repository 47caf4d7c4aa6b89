package com.otporchestrator.sandbox;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Synthetic phone numbers: country calling code plus random digits, unique while in use. The stock
 * of a (country, service) is how many of its activations may be open at once, so numbers come back
 * on FINISH_ACTIVATION. Confined to the sandbox verticle's event loop.
 */
final class NumberPool {
  private static final int DRAWS_PER_REQUEST = 200;
  private static final PhoneFormat UNKNOWN_COUNTRY = new PhoneFormat("999", 12);
  private static final Map<String, PhoneFormat> FORMATS = Map.ofEntries(
      Map.entry("russia", new PhoneFormat("79", 11)), Map.entry("ukraine", new PhoneFormat("3809", 12)),
      Map.entry("kazakhstan", new PhoneFormat("77", 11)), Map.entry("china", new PhoneFormat("861", 13)),
      Map.entry("philippines", new PhoneFormat("639", 12)), Map.entry("indonesia", new PhoneFormat("628", 13)),
      Map.entry("malaysia", new PhoneFormat("601", 11)), Map.entry("vietnam", new PhoneFormat("849", 11)),
      Map.entry("poland", new PhoneFormat("485", 11)), Map.entry("england", new PhoneFormat("447", 12)),
      Map.entry("india", new PhoneFormat("919", 12)), Map.entry("canada", new PhoneFormat("1", 11)),
      Map.entry("germany", new PhoneFormat("491", 13)), Map.entry("thailand", new PhoneFormat("668", 11)),
      Map.entry("brazil", new PhoneFormat("55119", 13)), Map.entry("france", new PhoneFormat("336", 11)),
      Map.entry("italy", new PhoneFormat("393", 12)), Map.entry("usa", new PhoneFormat("1", 11)));

  private final Map<String, Map<String, Integer>> capacity;
  private final Map<String, Integer> inUseByStockKey = new HashMap<>();
  private final Set<String> phonesInUse = new HashSet<>();
  private final Dice dice;

  NumberPool(Map<String, Map<String, Integer>> capacity, Dice dice) {
    this.capacity = capacity;
    this.dice = dice;
  }

  /** What GET_SERVICES reports: free slots per country and service. */
  Map<String, Map<String, Integer>> available() {
    Map<String, Map<String, Integer>> free = new LinkedHashMap<>();
    capacity.forEach((country, services) -> {
      Map<String, Integer> perService = new LinkedHashMap<>();
      services.keySet().forEach(service -> perService.put(service, available(country, service)));
      free.put(country, perService);
    });
    return free;
  }

  int available(String country, String service) {
    int total = capacity.getOrDefault(country, Map.of()).getOrDefault(service, 0);
    return Math.max(0, total - inUseByStockKey.getOrDefault(stockKey(country, service), 0));
  }

  /** A fresh number for the service that starts with none of the excluded prefixes, if any is left. */
  Optional<String> take(String country, String service, List<String> excludedPrefixes) {
    if (available(country, service) <= 0) return Optional.empty();
    PhoneFormat format = FORMATS.getOrDefault(country, UNKNOWN_COUNTRY);
    for (int draw = 0; draw < DRAWS_PER_REQUEST; draw++) {
      String phone = format.randomPhone(dice);
      if (!phonesInUse.contains(phone) && excludedPrefixes.stream().noneMatch(phone::startsWith)) {
        phonesInUse.add(phone);
        inUseByStockKey.merge(stockKey(country, service), 1, Integer::sum);
        return Optional.of(phone);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code phone} again for {@code service} (a reactivation, or another service on a number in use), when the service
   * has stock; the number counts against the service's stock like a fresh one.
   */
  Optional<String> takeAgain(String country, String service, String phone) {
    if (available(country, service) <= 0) return Optional.empty();
    phonesInUse.add(phone);
    inUseByStockKey.merge(stockKey(country, service), 1, Integer::sum);
    return Optional.of(phone);
  }

  /**
   * A number for a rental: unique while in use like any other, but outside the activation stock (the sandbox's rental
   * capacity is not limited; the rent offers' stock is what the platform sells).
   */
  Optional<String> takeForRent(String country) {
    PhoneFormat format = FORMATS.getOrDefault(country, UNKNOWN_COUNTRY);
    for (int draw = 0; draw < DRAWS_PER_REQUEST; draw++) {
      String phone = format.randomPhone(dice);
      if (phonesInUse.add(phone)) return Optional.of(phone);
    }
    return Optional.empty();
  }

  void releaseRental(String phone) {
    phonesInUse.remove(phone);
  }

  /** Frees a service's stock slot of a number that stays in use (by a reactivation or another service on it). */
  void releaseSlot(String country, String service) {
    inUseByStockKey.merge(stockKey(country, service), -1, Integer::sum);
  }

  void release(String country, String service, String phone) {
    if (phonesInUse.remove(phone)) {
      inUseByStockKey.merge(stockKey(country, service), -1, Integer::sum);
    }
  }

  private static String stockKey(String country, String service) {
    return country + '/' + service;
  }

  /** A mobile number shape: the fixed leading digits (calling code and a mobile prefix) and the total length. */
  private record PhoneFormat(String prefix, int length) {
    String randomPhone(Dice dice) {
      StringBuilder phone = new StringBuilder(prefix);
      while (phone.length() < length) phone.append((char) ('0' + dice.nextInt(10)));
      return phone.toString();
    }
  }
}
