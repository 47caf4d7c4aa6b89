package com.otporchestrator.config;

import java.net.URI;
import java.time.Duration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values from environment variables, collecting every problem before failing once. It also keeps, in
 * reading order, each variable read and its default as text ({@link #defaults}): the test of docs/configuration.md
 * compares the documented table with it.
 */
final class Env {
  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, String> defaults = new LinkedHashMap<>();

  Env(Map<String, String> values) {
    this.values = values;
  }

  /** Every variable read so far and its default as text (null: no default). */
  Map<String, String> defaults() {
    return Collections.unmodifiableMap(defaults);
  }

  private void declare(String name, Object fallback) {
    defaults.put(name, fallback == null ? null : String.valueOf(fallback));
  }

  String string(String name, String fallback) {
    declare(name, fallback);
    String value = values.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  String required(String name, String fallback) {
    String value = string(name, fallback);
    if (value == null) problems.add(name + " is required");
    else if (value.length() < 16) problems.add(name + " must be at least 16 characters");
    return value;
  }

  int intRange(String name, int fallback, int min, int max) {
    declare(name, fallback);
    String raw = values.get(name);
    if (raw == null || raw.isBlank()) return fallback;
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        problems.add("%s must be between %d and %d, got %s".formatted(name, min, max, raw));
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(name + " must be an integer, got '" + raw + "'");
      return fallback;
    }
  }

  int port(String name, int fallback) {
    return intRange(name, fallback, 0, 65535);
  }

  Duration seconds(String name, int fallback, int min, int max) {
    return Duration.ofSeconds(intRange(name, fallback, min, max));
  }

  Duration millis(String name, int fallback, int min, int max) {
    return Duration.ofMillis(intRange(name, fallback, min, max));
  }

  double fraction(String name, double fallback) {
    declare(name, BigDecimal.valueOf(fallback).stripTrailingZeros().toPlainString());
    String raw = values.get(name);
    if (raw == null || raw.isBlank()) return fallback;
    try {
      double value = Double.parseDouble(raw.trim());
      if (!(value >= 0.0 && value <= 1.0)) problems.add(name + " must be between 0 and 1, got " + raw);
      return value;
    } catch (NumberFormatException e) {
      problems.add(name + " must be a number between 0 and 1, got '" + raw + "'");
      return fallback;
    }
  }

  boolean bool(String name, boolean fallback) {
    declare(name, fallback);
    String raw = values.get(name);
    if (raw == null || raw.isBlank()) return fallback;
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> {
        problems.add(name + " must be true or false, got '" + raw + "'");
        yield fallback;
      }
    };
  }

  String url(String name, String fallback, String... schemes) {
    String value = string(name, fallback);
    try {
      URI uri = URI.create(value);
      if (uri.getScheme() == null || !List.of(schemes).contains(uri.getScheme()) || uri.getHost() == null) {
        problems.add("%s must be a %s:// URL, got '%s'".formatted(name, schemes[0], value));
      }
    } catch (IllegalArgumentException e) {
      problems.add(name + " is not a valid URL: " + e.getMessage());
    }
    return value;
  }

  /** A comma-separated list of URLs, each checked like {@link #url}; answers the trimmed list joined by commas. */
  String urls(String name, String fallback, String... schemes) {
    String value = string(name, fallback);
    List<String> parts = splitList(value);
    if (parts.isEmpty() || parts.size() != value.split(",", -1).length) {
      problems.add("%s must be one %s:// URL or a comma-separated list of them, got '%s'".formatted(name, schemes[0], value));
      return value;
    }
    for (String part : parts) {
      try {
        URI uri = URI.create(part);
        if (uri.getScheme() == null || !List.of(schemes).contains(uri.getScheme()) || uri.getHost() == null) {
          problems.add("%s must be a %s:// URL, got '%s'".formatted(name, schemes[0], part));
        }
      } catch (IllegalArgumentException e) {
        problems.add(name + " is not a valid URL: " + e.getMessage());
      }
    }
    return String.join(",", parts);
  }

  static List<String> splitList(String value) {
    List<String> parts = new ArrayList<>();
    for (String part : value.split(",")) if (!part.isBlank()) parts.add(part.trim());
    return parts;
  }

  Set<AppConfig.Role> roles(String name, Set<AppConfig.Role> fallback) {
    declare(name, String.join(",", fallback.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).toList()));
    String raw = values.get(name);
    if (raw == null || raw.isBlank()) return fallback;
    try {
      return AppConfig.parseRoles(raw);
    } catch (IllegalArgumentException e) {
      problems.add(name + " must be a comma-separated list of api, timers, sandbox; got '" + raw + "'");
      return fallback;
    }
  }

  /** Records a problem that involves several settings, to be reported with all the others. */
  void problem(String message) {
    problems.add(message);
  }

  void failIfInvalid() {
    if (!problems.isEmpty()) throw new ConfigException("Invalid configuration: " + String.join("; ", problems));
  }
}
