package com.otporchestrator.config;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every setting of the service, read once from environment variables and validated at start-up.
 * A bad value stops the process with a message naming the variable (docs/configuration.md lists them all).
 */
public record AppConfig(
    int httpPort,
    String httpHost,
    String databaseUrl,
    int databasePoolSize,
    DatabasePools databasePools,
    String redisUrl,
    int redisPoolSize,
    String redisKeyPrefix,
    boolean redisCluster,
    String adminToken,
    Duration activationWindow,
    Duration cancelDelay,
    Duration allocationTimeout,
    Duration upstreamTimeout,
    Set<Role> roles,
    TimerSettings timers,
    SandboxConfig sandbox,
    WebhookSettings webhooks,
    LifecycleSettings lifecycle,
    String refundPolicy,
    RentalSettings rentals,
    RoutingSettings routing,
    InputLimits limits,
    int purchasesInFlight,
    TrustedProxies trustedProxies) {

  public enum Role { API, TIMERS, SANDBOX }

  /**
   * The PostgreSQL pools besides the requests' ({@code DATABASE_POOL_SIZE}): the timer engine's (its handlers, sweeps
   * and chores) and the readiness check's, so that no load of requests can make a refund or a readiness answer wait for
   * a connection. {@code acquireTimeout} is how long a request waits for a connection of its pool before it is
   * answered 503 with Retry-After.
   */
  public record DatabasePools(int timers, int health, Duration acquireTimeout) {}

  /**
   * How the timer engine claims and recovers work. The internal lane sizes its batches between {@code batchSize} and
   * {@code maxBatchSize} and keeps 1 to {@code maxBatchesInFlight} of them applying, as the database keeps up; the
   * external lane (calls to suppliers) keeps {@code externalBatchesInFlight} batches of {@code batchSize}. A batch
   * not finished after {@code batchDeadline} gives its unfinished timers back: what is still running is parked for
   * {@code park}, the longest a timer's work may take before it is fired again. {@code lease} is only how long a
   * dead node's claims wait before the reaper hands them to another node (a live node settles every batch by its
   * deadline), so it bounds how late a refund is when a node dies.
   */
  public record TimerSettings(int shards, int batchSize, Duration lease, Duration idlePoll,
                              Duration sweepInterval, Duration sweepGrace, int maxBatchesInFlight, int maxBatchSize,
                              Duration batchDeadline, int externalBatchesInFlight, Duration park) {
    /** The engine's settings with the defaults of the adaptive sizing, the batch deadline, the external lane and parking. */
    public TimerSettings(int shards, int batchSize, Duration lease, Duration idlePoll, Duration sweepInterval,
                         Duration sweepGrace, int maxBatchesInFlight) {
      this(shards, batchSize, lease, idlePoll, sweepInterval, sweepGrace, maxBatchesInFlight, Math.max(batchSize, 2000),
          Duration.ofMillis(Math.min(5_000, lease.toMillis() / 2)), 8, lease);
    }
  }

  /**
   * Customer webhooks: attempt n+1 comes {@code retryBase * 2^(n-1)} after attempt n failed, up to
   * {@code maxAttempts} (default 8 over about 2 h 7 min); {@code allowPrivateUrls} admits loopback and
   * private-network hosts (dev and tests only).
   */
  public record WebhookSettings(Duration retryBase, int maxAttempts, boolean allowPrivateUrls) {}

  /**
   * How the process is probed and stopped. {@code healthPort}: the health-only listener of a process
   * without the api role (an api process serves health on HTTP_PORT). On SIGTERM readiness answers
   * 503 for {@code shutdownDelay} while the listener still serves, then in-flight requests get up to
   * {@code shutdownDrain} to finish; both fit in {@link #STOP_BUDGET} with room for the rest. {@code warmUpRequests}:
   * the requests a starting api node sends itself before readiness may answer 200 (see {@code WarmUp}).
   * {@code moneyCheckInterval}: how often the process checks the money invariants (a scan of the ledger; see
   * docs/money.md, "Cost").
   */
  public record LifecycleSettings(int healthPort, Duration shutdownDelay, Duration shutdownDrain, int warmUpRequests,
                                  Duration moneyCheckInterval) {
    /** What App's shutdown hook waits at most; the Kubernetes grace periods assume it. */
    public static final Duration STOP_BUDGET = Duration.ofSeconds(25);
    /** The most delay + drain may take: the rest of the budget closes timers, pools and clients. */
    public static final Duration MAX_DELAY_PLUS_DRAIN = Duration.ofSeconds(20);
  }

  /**
   * Platform defaults for rentals, used where the rental's refund policy is silent (e.g. {@code rental: {}}): the
   * shortest and longest rental in hours, and the cancel window (full refund by cancelling while it is open).
   */
  public record RentalSettings(int minHours, int maxHours, Duration cancelWindow) {}

  /**
   * Supplier breakers (see {@link BreakerSettings}) and the outage refund job: a job claims
   * an outage for {@code outageLease} at a time, refunds {@code outageBatch} orders per statement,
   * and looks for outages to refund every {@code outagePoll}. {@code upstreamKeepAlive}: how long a connection to a
   * supplier may stay idle before we close it; shorter than the suppliers' own servers keep theirs (5 s in Apache
   * and Node.js), so a purchase is never sent on a connection the supplier is closing (its outcome would be unknown).
   */
  public record RoutingSettings(com.otporchestrator.config.BreakerSettings breaker, int outageBatch,
                                Duration outagePoll, Duration outageLease, Duration upstreamKeepAlive) {}

  /**
   * Bounds on what a request may carry. Amounts in micro-USD: {@code maxAmount} for any one amount (a deposit, an
   * adjustment, a service credit, a payout, an offer's price or cost, a maxPrice), {@code maxWalletBalance} for what a
   * deposit may bring a wallet to (balance + held); both far below the bigint range, so no sum of them can overflow.
   * {@code bodyTimeout}: how long a request may take to send the body its head announced before it is answered 408.
   */
  public record InputLimits(long maxAmount, long maxWalletBalance, Duration bodyTimeout) {
    static final long MICROS_PER_USD = 1_000_000L;
  }

  /** The simulated supplier started in dev mode and tests. */
  public record SandboxConfig(String key, int port, double smsProbability, Duration smsDelay,
                              double noNumbersRate, String host, String advertisedUrl, int stockPerService,
                              boolean closesUnknown) {}

  public static AppConfig fromEnvironment() {
    return from(System.getenv());
  }

  public static AppConfig from(Map<String, String> env) {
    return from(new Env(env));
  }

  /** Reads every setting through {@code e}, which afterwards knows each variable read and its default. */
  static AppConfig from(Env e) {
    AppConfig config = new AppConfig(
        e.port("HTTP_PORT", 8080),
        e.string("HTTP_HOST", "0.0.0.0"),
        e.url("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test", "postgresql", "postgres"),
        e.intRange("DATABASE_POOL_SIZE", 4, 1, 200),
        new DatabasePools(
            e.intRange("TIMER_DATABASE_POOL_SIZE", 2, 1, 100),
            e.intRange("HEALTH_DATABASE_POOL_SIZE", 1, 1, 10),
            e.millis("DATABASE_ACQUIRE_TIMEOUT_MS", 10_000, 10, 120_000)),
        e.urls("REDIS_URL", "redis://127.0.0.1:6379", "redis", "rediss"),
        e.intRange("REDIS_POOL_SIZE", 8, 1, 1000),
        e.string("REDIS_KEY_PREFIX", "otp:"),
        e.bool("REDIS_CLUSTER", false),
        e.required("ADMIN_TOKEN", null),
        e.seconds("ACTIVATION_WINDOW_SECONDS", 1200, 1, 7 * 24 * 3600),
        e.seconds("CANCEL_DELAY_SECONDS", 0, 0, 24 * 3600),
        e.seconds("ALLOCATION_TIMEOUT_SECONDS", 60, 1, 3600),
        e.millis("UPSTREAM_TIMEOUT_MS", 10_000, 100, 120_000),
        e.roles("ROLES", EnumSet.of(Role.API, Role.TIMERS)),
        new TimerSettings(
            e.intRange("TIMER_SHARDS", 64, 1, 1024),
            e.intRange("TIMER_BATCH_SIZE", 256, 1, 5000),
            e.millis("TIMER_LEASE_MS", 5_000, 100, 3_600_000),
            e.millis("TIMER_IDLE_POLL_MS", 250, 5, 60_000),
            e.millis("TIMER_SWEEP_INTERVAL_MS", 30_000, 50, 3_600_000),
            e.millis("TIMER_SWEEP_GRACE_MS", 60_000, 0, 3_600_000),
            e.intRange("TIMER_MAX_BATCHES_IN_FLIGHT", 16, 1, 256),
            e.intRange("TIMER_MAX_BATCH_SIZE", 2000, 1, 20_000),
            e.millis("TIMER_BATCH_DEADLINE_MS", 2_500, 50, 3_600_000),
            e.intRange("TIMER_EXTERNAL_BATCHES_IN_FLIGHT", 8, 1, 256),
            e.millis("TIMER_PARK_MS", 30_000, 100, 3_600_000)),
        new SandboxConfig(
            e.string("SANDBOX_KEY", "sandbox-key"),
            e.intRange("SANDBOX_PORT", 8081, 0, 65535),
            e.fraction("SANDBOX_SMS_PROBABILITY", 0.8),
            e.seconds("SANDBOX_SMS_DELAY_SECONDS", 5, 0, 3600),
            e.fraction("SANDBOX_NO_NUMBERS_RATE", 0.0),
            e.string("SANDBOX_HOST", "127.0.0.1"),
            e.string("SANDBOX_ADVERTISED_URL", null),
            e.intRange("SANDBOX_STOCK_PER_SERVICE", 500, 0, 10_000_000),
            e.bool("SANDBOX_CLOSES_UNKNOWN", false)),
        new WebhookSettings(
            e.millis("WEBHOOK_RETRY_BASE_MS", 60_000, 10, 3_600_000),
            e.intRange("WEBHOOK_MAX_ATTEMPTS", 8, 1, 30),
            e.bool("WEBHOOK_ALLOW_PRIVATE_URLS", false)),
        new LifecycleSettings(
            e.port("HEALTH_PORT", 8080),
            e.millis("SHUTDOWN_DELAY_MS", 0, 0, 20_000),
            e.millis("SHUTDOWN_DRAIN_MS", 15_000, 0, 20_000),
            e.intRange("WARMUP_REQUESTS", 1_000, 0, 1_000_000),
            e.seconds("MONEY_CHECK_INTERVAL_SECONDS", 60, 10, 86_400)),
        e.string("REFUND_POLICY", "smssb_refund_policy"),
        new RentalSettings(
            e.intRange("RENTAL_MIN_HOURS", 4, 1, 8760),
            e.intRange("RENTAL_MAX_HOURS", 1344, 1, 8760),
            e.seconds("RENTAL_CANCEL_WINDOW_SECONDS", 1200, 1, 7 * 24 * 3600)),
        new RoutingSettings(
            new com.otporchestrator.config.BreakerSettings(
                e.intRange("BREAKER_WINDOW_CALLS", 20, 1, 1000),
                e.intRange("BREAKER_MIN_CALLS", 10, 1, 1000),
                e.fraction("BREAKER_FAILURE_RATE", 0.5),
                e.intRange("BREAKER_CONSECUTIVE_FAILURES", 5, 1, 1000),
                e.millis("BREAKER_OPEN_MS", 30_000, 100, 3_600_000)),
            e.intRange("OUTAGE_REFUND_BATCH", 500, 1, 5000),
            e.millis("OUTAGE_POLL_MS", 5_000, 50, 3_600_000),
            e.millis("OUTAGE_LEASE_MS", 60_000, 1_000, 3_600_000),
            e.seconds("UPSTREAM_KEEP_ALIVE_SECONDS", 4, 1, 3600)),
        new InputLimits(
            e.intRange("MAX_AMOUNT_USD", 100_000, 1, 1_000_000_000) * InputLimits.MICROS_PER_USD,
            e.intRange("MAX_WALLET_BALANCE_USD", 1_000_000, 1, 2_000_000_000) * InputLimits.MICROS_PER_USD,
            e.millis("REQUEST_BODY_TIMEOUT_MS", 30_000, 100, 600_000)),
        e.intRange("PURCHASES_IN_FLIGHT", 256, 1, 100_000),
        trustedProxies(e));
    if (config.lifecycle().shutdownDelay().plus(config.lifecycle().shutdownDrain())
        .compareTo(LifecycleSettings.MAX_DELAY_PLUS_DRAIN) > 0) {
      e.problem("SHUTDOWN_DELAY_MS + SHUTDOWN_DRAIN_MS must be at most "
          + LifecycleSettings.MAX_DELAY_PLUS_DRAIN.toMillis() + " (the stop budget is "
          + LifecycleSettings.STOP_BUDGET.toSeconds() + " s)");
    }
    if (config.cancelDelay().compareTo(config.activationWindow()) >= 0) {
      e.problem("CANCEL_DELAY_SECONDS must be shorter than ACTIVATION_WINDOW_SECONDS");
    }
    if (config.limits().maxAmount() > config.limits().maxWalletBalance()) {
      e.problem("MAX_AMOUNT_USD must not be above MAX_WALLET_BALANCE_USD");
    }
    if (config.rentals().minHours() > config.rentals().maxHours()) {
      e.problem("RENTAL_MIN_HOURS must not be above RENTAL_MAX_HOURS");
    }
    if (!config.refundPolicy().matches("[a-z][a-z0-9_]{0,63}")) {
      e.problem("REFUND_POLICY must be a policy id (lower case letters, digits and _), not '" + config.refundPolicy() + "'");
    }
    if (config.routing().breaker().minCalls() > config.routing().breaker().windowCalls()) {
      e.problem("BREAKER_MIN_CALLS must be at most BREAKER_WINDOW_CALLS");
    }
    if (!config.redisCluster() && config.redisEndpoints().size() > 1) {
      e.problem("REDIS_URL lists several nodes; set REDIS_CLUSTER=true for Redis Cluster, or give one URL");
    }
    if (config.redisCluster() && (config.redisKeyPrefix().contains("{") || config.redisKeyPrefix().contains("}"))) {
      e.problem("REDIS_KEY_PREFIX must not contain { or } with REDIS_CLUSTER=true: the keys' own hash tags choose their slots");
    }
    // read by logback.xml, which cannot refuse a bad value: an unknown one would silence every log line
    String logFormat = e.string("LOG_FORMAT", "text");
    if (!logFormat.equals("text") && !logFormat.equals("json")) e.problem("LOG_FORMAT must be text or json, not '" + logFormat + "'");
    e.failIfInvalid();
    return config;
  }

  public boolean runs(Role role) {
    return roles.contains(role);
  }

  /**
   * The Redis nodes of {@code REDIS_URL}: one URL standalone; with {@code REDIS_CLUSTER=true}, the
   * comma-separated seed nodes the cluster client discovers the slot map from.
   */
  public java.util.List<String> redisEndpoints() {
    return Env.splitList(redisUrl);
  }

  /** Redacts credentials so the effective configuration can be logged. */
  public String describe() {
    String redis = String.join(",", redisEndpoints().stream().map(AppConfig::redactUserInfo).toList());
    return "http=%s:%d db=%s redis=%s%s roles=%s window=%ss cancelDelay=%ss".formatted(httpHost, httpPort,
        redactUserInfo(databaseUrl), redisCluster ? "cluster:" : "", redis, roles, activationWindow.toSeconds(),
        cancelDelay.toSeconds());
  }

  private static String redactUserInfo(String url) {
    URI uri = URI.create(url);
    return uri.getUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "***@");
  }

  static Set<Role> parseRoles(String text) {
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : text.split(",")) {
      if (!part.isBlank()) roles.add(Role.valueOf(part.trim().toUpperCase(Locale.ROOT)));
    }
    if (roles.isEmpty()) throw new IllegalArgumentException("no role");
    return roles;
  }

  private static TrustedProxies trustedProxies(Env e) {
    String list = e.string("TRUSTED_PROXIES", null);
    if (list == null) return TrustedProxies.NONE;
    TrustedProxies parsed = TrustedProxies.parse(list);
    if (parsed != null) return parsed;
    e.problem("TRUSTED_PROXIES must be addresses or address/prefix blocks separated by commas, got '" + list + "'");
    return TrustedProxies.NONE;
  }
}
