package com.otporchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.otporchestrator.config.AppConfig.Role;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The configuration, read from environment variables and checked at start-up")
class AppConfigTest {
  private static final String TOKEN = "an-admin-token-of-32-characters!";

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("ADMIN_TOKEN", TOKEN);
    for (int i = 0; i + 1 < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return env;
  }

  private static String refusal(Map<String, String> env) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> AppConfig.from(env));
    assertThat(thrown).as("configuration %s must be refused", env).isInstanceOf(ConfigException.class);
    return thrown.getMessage();
  }

  @Test
  @DisplayName("uses the documented defaults when only ADMIN_TOKEN is set")
  void hasDefaults() {
    AppConfig config = AppConfig.from(env());
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
    assertThat(config.databaseUrl()).isEqualTo("postgresql://postgres@127.0.0.1:5432/test");
    assertThat(config.databasePoolSize()).isEqualTo(4);
    assertThat(config.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(config.redisPoolSize()).isEqualTo(8);
    assertThat(config.redisKeyPrefix()).isEqualTo("otp:");
    assertThat(config.adminToken()).isEqualTo(TOKEN);
    assertThat(config.activationWindow()).isEqualTo(Duration.ofMinutes(20));
    assertThat(config.cancelDelay()).as("the order's policy alone decides when a cancel opens").isZero();
    assertThat(config.allocationTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.roles()).containsExactlyInAnyOrder(Role.API, Role.TIMERS);
    assertThat(config.runs(Role.SANDBOX)).isFalse();
    assertThat(config.timers()).as("a dead node's claims wait 5 s; work still running at the 2.5 s deadline, 30 s")
        .isEqualTo(new AppConfig.TimerSettings(64, 256, Duration.ofSeconds(5), Duration.ofMillis(250),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 16, 2000, Duration.ofMillis(2_500), 8, Duration.ofSeconds(30)));
    assertThat(config.sandbox()).isEqualTo(new AppConfig.SandboxConfig("sandbox-key", 8081, 0.8,
        Duration.ofSeconds(5), 0.0, "127.0.0.1", null, 500, false));
  }

  @Test
  void readsEverySettingGiven() {
    AppConfig config = AppConfig.from(env("HTTP_PORT", " 9090 ", "HTTP_HOST", "127.0.0.1",
        "DATABASE_URL", "postgres://u:p@db:5432/otp", "REDIS_URL", "rediss://cache:6380", "ROLES", "api, Sandbox",
        "ACTIVATION_WINDOW_SECONDS", "600", "CANCEL_DELAY_SECONDS", "30", "SANDBOX_KEY", "k",
        "SANDBOX_SMS_PROBABILITY", "1"));
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.httpHost()).isEqualTo("127.0.0.1");
    assertThat(config.databaseUrl()).isEqualTo("postgres://u:p@db:5432/otp");
    assertThat(config.redisUrl()).isEqualTo("rediss://cache:6380");
    assertThat(config.roles()).containsExactlyInAnyOrder(Role.API, Role.SANDBOX);
    assertThat(config.activationWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.cancelDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.sandbox().key()).isEqualTo("k");
    assertThat(config.sandbox().smsProbability()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("never shows the database password in the logged description")
  void redactsCredentials() {
    AppConfig config = AppConfig.from(env("DATABASE_URL", "postgresql://otp:s3cret@db:5432/otp"));
    assertThat(config.describe()).doesNotContain("s3cret").contains("***@db:5432/otp");
  }

  @ParameterizedTest(name = "HTTP_PORT={0} is refused")
  @ValueSource(strings = {"http", "80.5", "8080x", "-1", "65536", "99999999999"})
  void refusesABadPort(String port) {
    assertThat(refusal(env("HTTP_PORT", port))).contains("HTTP_PORT").contains(port);
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
      "DATABASE_POOL_SIZE, 0",
      "DATABASE_POOL_SIZE, 201",
      "REDIS_POOL_SIZE, 0",
      "ACTIVATION_WINDOW_SECONDS, 0",
      "ACTIVATION_WINDOW_SECONDS, 604801",
      "CANCEL_DELAY_SECONDS, -1",
      "ALLOCATION_TIMEOUT_SECONDS, 0",
      "UPSTREAM_TIMEOUT_MS, 99",
      "UPSTREAM_TIMEOUT_MS, 120001",
      "TIMER_SHARDS, 0",
      "TIMER_SHARDS, 1025",
      "TIMER_BATCH_SIZE, 5001",
      "TIMER_IDLE_POLL_MS, 4",
      "TIMER_MAX_BATCHES_IN_FLIGHT, 0",
      "SANDBOX_PORT, 70000",
      "SANDBOX_SMS_PROBABILITY, 1.5",
      "SANDBOX_SMS_PROBABILITY, -0.1",
      "SANDBOX_SMS_PROBABILITY, NaN",
      "SANDBOX_SMS_PROBABILITY, often",
      "SANDBOX_NO_NUMBERS_RATE, 2"})
  void refusesOutOfRangeValues(String name, String value) {
    assertThat(refusal(env(name, value))).contains(name).contains(value);
  }

  @ParameterizedTest(name = "DATABASE_URL={0} is refused")
  @ValueSource(strings = {"mysql://db:3306/otp", "jdbc:postgresql://db:5432/otp", "http://db/otp", "db:5432/otp",
      "postgresql:///otp", "not a url"})
  void refusesADatabaseUrlOfAnotherKind(String url) {
    assertThat(refusal(env("DATABASE_URL", url))).contains("DATABASE_URL");
  }

  @Test
  @DisplayName("reads the breaker and outage-job settings, with documented defaults, and refuses inconsistent ones")
  void readsRoutingSettings() {
    AppConfig.RoutingSettings defaults = AppConfig.from(env()).routing();
    assertThat(defaults.breaker()).isEqualTo(new com.otporchestrator.config.BreakerSettings(20, 10, 0.5, 5, Duration.ofSeconds(30)));
    assertThat(defaults.outageBatch()).isEqualTo(500);
    assertThat(defaults.outagePoll()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.outageLease()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.upstreamKeepAlive()).isEqualTo(Duration.ofSeconds(4));

    AppConfig.RoutingSettings given = AppConfig.from(env("BREAKER_WINDOW_CALLS", "50", "BREAKER_MIN_CALLS", "20",
        "BREAKER_FAILURE_RATE", "0.25", "BREAKER_CONSECUTIVE_FAILURES", "3", "BREAKER_OPEN_MS", "5000",
        "OUTAGE_REFUND_BATCH", "100", "OUTAGE_POLL_MS", "1000", "OUTAGE_LEASE_MS", "10000",
        "UPSTREAM_KEEP_ALIVE_SECONDS", "2")).routing();
    assertThat(given).isEqualTo(new AppConfig.RoutingSettings(
        new com.otporchestrator.config.BreakerSettings(50, 20, 0.25, 3, Duration.ofSeconds(5)), 100,
        Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(2)));

    assertThat(refusal(env("BREAKER_MIN_CALLS", "30"))).contains("BREAKER_MIN_CALLS must be at most BREAKER_WINDOW_CALLS");
    assertThat(refusal(env("BREAKER_FAILURE_RATE", "1.5"))).contains("BREAKER_FAILURE_RATE");
    assertThat(refusal(env("OUTAGE_REFUND_BATCH", "0"))).contains("OUTAGE_REFUND_BATCH");
    assertThat(refusal(env("OUTAGE_LEASE_MS", "10"))).contains("OUTAGE_LEASE_MS");
    assertThat(refusal(env("UPSTREAM_KEEP_ALIVE_SECONDS", "0"))).contains("UPSTREAM_KEEP_ALIVE_SECONDS");
  }

  @Test
  void refusesARedisUrlOfAnotherKind() {
    assertThat(refusal(env("REDIS_URL", "http://cache:6379"))).contains("REDIS_URL").contains("redis://");
  }

  @Test
  @DisplayName("is standalone by default and reads a Redis Cluster from REDIS_CLUSTER and a list of seed nodes")
  void readsARedisCluster() {
    AppConfig standalone = AppConfig.from(env());
    assertThat(standalone.redisCluster()).isFalse();
    assertThat(standalone.redisEndpoints()).containsExactly("redis://127.0.0.1:6379");

    AppConfig cluster = AppConfig.from(env("REDIS_CLUSTER", "true",
        "REDIS_URL", " redis://a:7000, redis://u:secret@b:7001 ,rediss://c:7002", "REDIS_POOL_SIZE", "4"));
    assertThat(cluster.redisCluster()).isTrue();
    assertThat(cluster.redisEndpoints()).containsExactly("redis://a:7000", "redis://u:secret@b:7001", "rediss://c:7002");
    assertThat(cluster.redisPoolSize()).isEqualTo(4);
    assertThat(cluster.describe()).contains("redis=cluster:redis://a:7000,redis://***@b:7001,rediss://c:7002")
        .doesNotContain("secret");
    assertThat(AppConfig.from(env("REDIS_CLUSTER", "true")).redisEndpoints()).as("one seed is enough").hasSize(1);
  }

  @Test
  @DisplayName("refuses a bad REDIS_CLUSTER, several nodes without it, a bad node in the list and braces in the prefix")
  void refusesBadRedisClusterSettings() {
    assertThat(refusal(env("REDIS_CLUSTER", "maybe"))).contains("REDIS_CLUSTER must be true or false");
    assertThat(refusal(env("REDIS_URL", "redis://a:7000,redis://b:7001"))).contains("REDIS_URL lists several nodes")
        .contains("REDIS_CLUSTER=true");
    assertThat(refusal(env("REDIS_CLUSTER", "true", "REDIS_URL", "redis://a:7000,http://b:7001")))
        .contains("REDIS_URL must be a redis:// URL, got 'http://b:7001'");
    assertThat(refusal(env("REDIS_CLUSTER", "true", "REDIS_URL", "redis://a:7000,,redis://b:7001"))).contains("REDIS_URL");
    assertThat(refusal(env("REDIS_CLUSTER", "true", "REDIS_KEY_PREFIX", "otp:{eu}:"))).contains("REDIS_KEY_PREFIX must not contain");
    assertThat(AppConfig.from(env("REDIS_KEY_PREFIX", "otp:{eu}:")).redisKeyPrefix()).as("harmless standalone").isEqualTo("otp:{eu}:");
  }

  @Test
  void refusesAMissingAdminToken() {
    Map<String, String> env = env();
    env.remove("ADMIN_TOKEN");
    assertThat(refusal(env)).contains("ADMIN_TOKEN is required");
    env.put("ADMIN_TOKEN", "   ");
    assertThat(refusal(env)).contains("ADMIN_TOKEN is required");
  }

  @Test
  void refusesATooShortAdminToken() {
    assertThat(refusal(env("ADMIN_TOKEN", "short-token-15c"))).contains("ADMIN_TOKEN").contains("at least 16");
    assertThat(AppConfig.from(env("ADMIN_TOKEN", "exactly-16-chars")).adminToken()).isEqualTo("exactly-16-chars");
  }

  @ParameterizedTest(name = "ROLES={0} is refused")
  @ValueSource(strings = {"web", "api,worker", ",", "api;timers"})
  void refusesUnknownRoles(String roles) {
    assertThat(refusal(env("ROLES", roles))).contains("ROLES").contains(roles);
  }

  @Test
  void acceptsEveryRoleInAnyCase() {
    assertThat(AppConfig.from(env("ROLES", "TIMERS,sandbox,Api")).roles())
        .isEqualTo(Set.of(Role.API, Role.TIMERS, Role.SANDBOX));
  }

  @ParameterizedTest(name = "CANCEL_DELAY_SECONDS={0} with ACTIVATION_WINDOW_SECONDS={1} is refused")
  @CsvSource({"600, 600", "601, 600", "1300, 1200"})
  void refusesACancelDelayNotShorterThanTheWindow(String delay, String window) {
    assertThat(refusal(env("CANCEL_DELAY_SECONDS", delay, "ACTIVATION_WINDOW_SECONDS", window)))
        .contains("CANCEL_DELAY_SECONDS").contains("ACTIVATION_WINDOW_SECONDS");
  }

  @Test
  void acceptsACancelDelayJustShorterThanTheWindow() {
    AppConfig config = AppConfig.from(env("CANCEL_DELAY_SECONDS", "599", "ACTIVATION_WINDOW_SECONDS", "600"));
    assertThat(config.cancelDelay()).isLessThan(config.activationWindow());
  }

  @Test
  @DisplayName("reports every problem at once, so one restart fixes them all")
  void reportsSeveralProblemsTogether() {
    Map<String, String> env = env("HTTP_PORT", "eighty", "DATABASE_URL", "mysql://db/otp", "ROLES", "web",
        "TIMER_SHARDS", "0");
    env.remove("ADMIN_TOKEN");
    assertThat(refusal(env)).contains("HTTP_PORT", "DATABASE_URL", "ROLES", "TIMER_SHARDS", "ADMIN_TOKEN");
  }

  @Test
  @DisplayName("reports a cancel delay not shorter than the window together with the other problems")
  void reportsTheCancelDelayTogetherWithOtherProblems() {
    assertThat(refusal(env("HTTP_PORT", "eighty", "CANCEL_DELAY_SECONDS", "1200")))
        .contains("HTTP_PORT", "CANCEL_DELAY_SECONDS must be shorter than ACTIVATION_WINDOW_SECONDS");
  }

  @Test
  @DisplayName("trusted proxies: addresses and blocks of both families; anything else is refused by name")
  void trustedProxies() {
    TrustedProxies proxies = AppConfig.from(env("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7,fd00::/8")).trustedProxies();
    assertThat(proxies.contains("10.42.0.3")).isTrue();
    assertThat(proxies.contains("192.168.1.7")).isTrue();
    assertThat(proxies.contains("192.168.1.8")).isFalse();
    assertThat(proxies.contains("fd12::1")).isTrue();
    assertThat(proxies.contains("11.0.0.1")).isFalse();
    assertThat(proxies.contains("proxy.internal")).as("names are never resolved").isFalse();
    assertThat(AppConfig.from(env()).trustedProxies().isEmpty()).isTrue();
    assertThat(refusal(env("TRUSTED_PROXIES", "10.0.0.0/33"))).contains("TRUSTED_PROXIES");
    assertThat(refusal(env("TRUSTED_PROXIES", "lb.internal"))).contains("TRUSTED_PROXIES");
  }

  @Test
  void treatsBlankValuesAsUnset() {
    AppConfig config = AppConfig.from(env("HTTP_PORT", "", "ROLES", "  ", "REDIS_KEY_PREFIX", " "));
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.roles()).containsExactlyInAnyOrder(Role.API, Role.TIMERS);
    assertThat(config.redisKeyPrefix()).isEqualTo("otp:");
  }

  @Test
  @DisplayName("health port and shutdown timings: defaults, values, and delay + drain within the stop budget")
  void lifecycleSettings() {
    assertThat(AppConfig.from(env()).lifecycle())
        .isEqualTo(new AppConfig.LifecycleSettings(8080, Duration.ZERO, Duration.ofSeconds(15), 1_000, Duration.ofSeconds(60)));
    assertThat(AppConfig.from(env("HEALTH_PORT", "9091", "SHUTDOWN_DELAY_MS", "5000", "SHUTDOWN_DRAIN_MS", "15000")).lifecycle())
        .isEqualTo(new AppConfig.LifecycleSettings(9091, Duration.ofSeconds(5), Duration.ofSeconds(15), 1_000, Duration.ofSeconds(60)));
    assertThat(refusal(env("SHUTDOWN_DELAY_MS", "6000", "SHUTDOWN_DRAIN_MS", "15000")))
        .contains("SHUTDOWN_DELAY_MS + SHUTDOWN_DRAIN_MS must be at most 20000");
    assertThat(refusal(env("SHUTDOWN_DRAIN_MS", "-1", "HEALTH_PORT", "70000"))).contains("SHUTDOWN_DRAIN_MS", "HEALTH_PORT");
  }
}
