package com.otporchestrator.dev;

import com.otporchestrator.config.AppConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code dev}: everything needed to try the service on one machine. Uses PostgreSQL and Redis at
 * DATABASE_URL / REDIS_URL (defaults 127.0.0.1) when they answer (creating the database if it is missing), else
 * starts embedded ones; runs the sandbox supplier; seeds offers and a demo account; prints how to try it.
 */
public final class DevMode {
  /**
   * What dev mode sets where the environment says nothing (docs/configuration.md shows them as "dev: ..."). A demo
   * number receives the SMS you send it and nothing else, so one left alone expires and is refunded, as the README
   * says; SANDBOX_SMS_PROBABILITY=0.8 brings back spontaneous codes (then captured at the window's end).
   * DEMO_API_KEY, the demo account's key, is read by dev mode only.
   */
  public static final Map<String, String> DEFAULTS = Map.of(
      "ADMIN_TOKEN", "dev-admin-token-0123456789",
      "ROLES", "api,timers,sandbox",
      "WEBHOOK_ALLOW_PRIVATE_URLS", "true", // lets a local receiver (localhost) take webhooks
      "SANDBOX_SMS_PROBABILITY", "0",
      "DEMO_API_KEY", "demo0000000000000000000000000001");

  private final AppConfig config;
  private final String demoKey;

  private DevMode(AppConfig config, String demoKey) {
    this.config = config;
    this.demoKey = demoKey;
  }

  /**
   * The settings of a dev node, with PostgreSQL and Redis made reachable (embedded ones started when
   * the configured ones do not answer, and stopped when the JVM exits). The caller starts the node.
   */
  public static DevMode prepare() {
    Map<String, String> env = new HashMap<>(System.getenv());
    DEFAULTS.forEach(env::putIfAbsent);
    EmbeddedServices embedded = new EmbeddedServices();
    embedded.ensurePostgres(env);
    embedded.ensureRedis(env);
    Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop, "embedded-stop"));
    return new DevMode(AppConfig.from(env), env.get("DEMO_API_KEY"));
  }

  public AppConfig config() {
    return config;
  }

  /** Once the node runs: seeds the offers and the demo account, then prints how to try it. */
  public void seedAndWelcome(DevSeed.Stores stores) {
    try {
      DevSeed.seed(stores, demoKey).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not seed the dev data: " + e, e);
    }
    printWelcome(config, demoKey);
  }

  private static void printWelcome(AppConfig config, String demoKey) {
    String base = "http://127.0.0.1:" + config.httpPort();
    String auth = "-H 'Authorization: Bearer " + demoKey + "'";
    double smsProbability = config.sandbox().smsProbability();
    String sandbox = smsProbability == 0
        ? "numbers receive only the SMS you send them (SANDBOX_SMS_PROBABILITY=0.8: 80 % get one on their own)"
        : "%.0f %% of numbers get an SMS on their own after %ss, then are captured at the window's end"
            .formatted(smsProbability * 100, config.sandbox().smsDelay().toSeconds());
    System.out.println("""

        otp-orchestrator is running in dev mode on %1$s
          demo API key : %2$s
          customer console: %1$s/app  (log in as %7$s, password %8$s, or with the API key)
          admin token  : %3$s
          sandbox      : %4$s

        Try it (buy a Telegram number in Russia, make the sandbox push an SMS to it, read the code):
          ID=$(curl -s -X POST %1$s/v1/activations %5$s -H 'Content-Type: application/json' -d '{"service":"tg","country":0}' | tee /dev/stderr | grep -o '"id":[0-9]*' | cut -d: -f2)
          curl -s -X POST %1$s/admin/v1/sandbox/activations/$ID/sms -H 'Authorization: Bearer %3$s' -H 'Content-Type: application/json' -d '{"text":"Your Telegram code is 48213"}'
          curl -s %1$s/v1/activations/$ID %5$s

        Left alone (no SMS), an activation expires after %6$d s and its price returns to the wallet:
          curl -s %1$s/v1/wallet %5$s
        To watch that within a minute: ACTIVATION_WINDOW_SECONDS=45 CANCEL_DELAY_SECONDS=10 bin/dev
        """.formatted(base, demoKey, config.adminToken(), sandbox, auth, config.activationWindow().toSeconds(),
            DevSeed.DEMO_EMAIL, DevSeed.DEMO_PASSWORD));
    System.out.println(DevStaff.banner(base));
  }
}
