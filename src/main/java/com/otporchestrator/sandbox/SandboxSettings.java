package com.otporchestrator.sandbox;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the sandbox supplier behaves. {@code stock} is, per SMSHub country name and service, how many
 * activations can be open at once; every rate is a probability in [0, 1] drawn per request from a
 * generator seeded with {@code seed}. Build with {@link #builder()} (defaults) or {@link #toBuilder()}.
 */
public record SandboxSettings(
    String host,
    int port,
    String key,
    String pushUrl,
    Map<String, Map<String, Integer>> stock,
    double smsProbability,
    Duration smsDelay,
    double noNumbersRate,
    double slowReplyRate,
    Duration slowReplyDelay,
    double failureRate,
    Duration pushRetryInterval,
    int maxPushAttempts,
    long seed,
    boolean closesUnknown) {

  public SandboxSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(pushUrl, "pushUrl");
    if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be 0..65535");
    stock = copyOf(stock);
    requireRate("smsProbability", smsProbability);
    requireRate("noNumbersRate", noNumbersRate);
    requireRate("slowReplyRate", slowReplyRate);
    requireRate("failureRate", failureRate);
    requireNotNegative("smsDelay", smsDelay);
    requireNotNegative("slowReplyDelay", slowReplyDelay);
    requireNotNegative("pushRetryInterval", pushRetryInterval);
    if (maxPushAttempts < 1) throw new IllegalArgumentException("maxPushAttempts must be at least 1");
  }

  public static SandboxSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  private static Map<String, Map<String, Integer>> copyOf(Map<String, Map<String, Integer>> stock) {
    Objects.requireNonNull(stock, "stock");
    Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
    stock.forEach((country, services) -> {
      services.values().forEach(count -> {
        if (count == null || count < 0) throw new IllegalArgumentException("stock counts must be >= 0");
      });
      copy.put(country, Collections.unmodifiableMap(new LinkedHashMap<>(services)));
    });
    return Collections.unmodifiableMap(copy);
  }

  private static void requireRate(String name, double rate) {
    if (!(rate >= 0.0 && rate <= 1.0)) throw new IllegalArgumentException(name + " must be in [0, 1]");
  }

  private static void requireNotNegative(String name, Duration duration) {
    if (duration == null || duration.isNegative()) throw new IllegalArgumentException(name + " must be >= 0");
  }

  /** Starts from the defaults: a few services in russia, usa and england, SMS on 80% of numbers after 5 s. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private String key = "sandbox-key";
    private String pushUrl = "http://127.0.0.1:8080/providers/sandbox/sms";
    private Map<String, Map<String, Integer>> stock = defaultStock();
    private double smsProbability = 0.8;
    private Duration smsDelay = Duration.ofSeconds(5);
    private double noNumbersRate = 0.0;
    private double slowReplyRate = 0.0;
    private Duration slowReplyDelay = Duration.ofSeconds(5);
    private double failureRate = 0.0;
    private Duration pushRetryInterval = Duration.ofSeconds(10);
    private int maxPushAttempts = 360;
    private long seed = 42L;
    private boolean closesUnknown;

    private Builder() {}

    private Builder(SandboxSettings s) {
      host = s.host; port = s.port; key = s.key; pushUrl = s.pushUrl; stock = new LinkedHashMap<>(s.stock);
      smsProbability = s.smsProbability; smsDelay = s.smsDelay; noNumbersRate = s.noNumbersRate;
      slowReplyRate = s.slowReplyRate; slowReplyDelay = s.slowReplyDelay; failureRate = s.failureRate;
      pushRetryInterval = s.pushRetryInterval; maxPushAttempts = s.maxPushAttempts; seed = s.seed;
      closesUnknown = s.closesUnknown;
    }

    private static Map<String, Map<String, Integer>> defaultStock() {
      Map<String, Map<String, Integer>> stock = new LinkedHashMap<>();
      stock.put("russia", Map.of("vk", 20, "tg", 20, "wa", 20));
      stock.put("usa", Map.of("tg", 10, "wa", 10));
      stock.put("england", Map.of("tg", 5));
      return stock;
    }

    public Builder host(String value) { host = value; return this; }
    public Builder port(int value) { port = value; return this; }
    public Builder key(String value) { key = value; return this; }
    public Builder pushUrl(String value) { pushUrl = value; return this; }
    public Builder smsProbability(double value) { smsProbability = value; return this; }
    public Builder smsDelay(Duration value) { smsDelay = value; return this; }
    public Builder noNumbersRate(double value) { noNumbersRate = value; return this; }
    public Builder slowReplyRate(double value) { slowReplyRate = value; return this; }
    public Builder slowReplyDelay(Duration value) { slowReplyDelay = value; return this; }
    public Builder failureRate(double value) { failureRate = value; return this; }
    public Builder pushRetryInterval(Duration value) { pushRetryInterval = value; return this; }
    public Builder maxPushAttempts(int value) { maxPushAttempts = value; return this; }
    public Builder seed(long value) { seed = value; return this; }
    /** FINISH_ACTIVATION of an activation the sandbox never handed out answers SUCCESS, not ACTIVATION_NOT_FOUND. */
    public Builder closesUnknown(boolean value) { closesUnknown = value; return this; }

    /** Replaces the whole stock table. */
    public Builder stock(Map<String, Map<String, Integer>> value) {
      stock = new LinkedHashMap<>(value);
      return this;
    }

    /** Adds or replaces the stock of one (country, service), e.g. {@code stock("russia", "vk", 10)}. */
    public Builder stock(String country, String service, int count) {
      Map<String, Integer> services = new LinkedHashMap<>(stock.getOrDefault(country, Map.of()));
      services.put(service, count);
      stock.put(country, services);
      return this;
    }

    public SandboxSettings build() {
      return new SandboxSettings(host, port, key, pushUrl, stock, smsProbability, smsDelay, noNumbersRate,
          slowReplyRate, slowReplyDelay, failureRate, pushRetryInterval, maxPushAttempts, seed, closesUnknown);
    }
  }
}
