package com.otporchestrator.dev;

import com.otporchestrator.config.AppConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code dev}: everything needed to try the service on one machine. Uses PostgreSQL and Redis at
 * DATABASE_URL / REDIS_URL (defaults 127.0.0.1) when they answer, else starts embedded ones; runs
 * the sandbox supplier; seeds offers and a demo account; prints how to try it.
 */
public final class DevMode {
  static final String DEFAULT_ADMIN_TOKEN = "dev-admin-token-0123456789";
  static final String DEFAULT_DEMO_KEY = "demo0000000000000000000000000001";

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
    env.putIfAbsent("ADMIN_TOKEN", DEFAULT_ADMIN_TOKEN);
    env.putIfAbsent("ROLES", "api,timers,sandbox");
    env.putIfAbsent("WEBHOOK_ALLOW_PRIVATE_URLS", "true"); // lets a local receiver (localhost) take webhooks
    EmbeddedServices embedded = new EmbeddedServices();
    embedded.ensurePostgres(env);
    embedded.ensureRedis(env);
    Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop, "embedded-stop"));
    return new DevMode(AppConfig.from(env), env.getOrDefault("DEMO_API_KEY", DEFAULT_DEMO_KEY));
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
    System.out.println("""

        otp-orchestrator is running in dev mode on %1$s
          demo API key : %2$s
          admin token  : %3$s
          sandbox      : SMS arrive on their own with probability %4$s after %5$ss (SANDBOX_SMS_*)

        Try it (buy a Telegram number in Russia, make the sandbox push an SMS to it, read the code):
          ID=$(curl -s -X POST %1$s/v1/activations %6$s -H 'Content-Type: application/json' -d '{"service":"tg","country":0}' | tee /dev/stderr | grep -o '"id":[0-9]*' | cut -d: -f2)
          curl -s -X POST %1$s/admin/v1/sandbox/activations/$ID/sms -H 'Authorization: Bearer %3$s' -H 'Content-Type: application/json' -d '{"text":"Your Telegram code is 48213"}'
          curl -s %1$s/v1/activations/$ID %6$s
        """.formatted(base, demoKey, config.adminToken(), config.sandbox().smsProbability(),
        config.sandbox().smsDelay().toSeconds(), auth));
  }
}
