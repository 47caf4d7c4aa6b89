package com.otporchestrator;

import com.otporchestrator.config.AppConfig;
import com.otporchestrator.config.ConfigException;
import com.otporchestrator.dev.DevMode;
import com.otporchestrator.dev.DevSeed;
import com.otporchestrator.dev.DevStaff;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point. {@code java -jar otp-orchestrator.jar} runs the service from environment variables;
 * {@code ... dev} runs it with a sandbox supplier, a seeded catalog and a demo account, on local
 * PostgreSQL and Redis when reachable and embedded ones otherwise.
 */
public final class App {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  private App() {}

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    try {
      if (args.length == 1 && "dev".equals(args[0])) {
        DevMode dev = DevMode.prepare();
        Node node = run(dev.config());
        Modules modules = node.modules();
        DevStaff.seed(modules.staff().service());
        dev.seedAndWelcome(new DevSeed.Stores(modules.catalog().repository(), modules.rentals().repository(),
            modules.accounts().repository(), modules.wallets().repository(), modules.web()));
      } else if (args.length == 0) {
        run(AppConfig.fromEnvironment());
      } else {
        System.err.println("usage: java -jar otp-orchestrator.jar [dev]");
        System.exit(64);
      }
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(78);
    }
  }

  /** Starts a node and stops it gracefully on SIGTERM; exits non-zero if it cannot start. */
  public static Node run(AppConfig config) {
    LOG.info("starting: {}", config.describe());
    String busy = busyPort(config);
    if (busy != null) {
      LOG.error("could not start: {}", busy);
      System.exit(1);
      return null;
    }
    Vertx vertx = com.otporchestrator.metrics.Metrics.vertx(new io.vertx.core.VertxOptions());
    Node node;
    try {
      node = Node.start(vertx, config).await(5, TimeUnit.MINUTES);
      node.warmedUp().await(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      LOG.error("could not start: {}", e.toString(), e);
      vertx.close();
      System.exit(1);
      return null;
    }
    LOG.info("ready on port {}", config.httpPort());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, node), "shutdown"));
    return node;
  }

  /**
   * Names the first port this process is about to listen on that something else already holds (its setting, port
   * and address), or null when all are free. Checked before anything starts, so the message is one line.
   */
  static String busyPort(AppConfig config) {
    Map<String, InetSocketAddress> listeners = new LinkedHashMap<>();
    if (config.runs(AppConfig.Role.API)) {
      listeners.put("HTTP_PORT", new InetSocketAddress(config.httpHost(), config.httpPort()));
    } else {
      listeners.put("HEALTH_PORT", new InetSocketAddress(config.httpHost(), config.lifecycle().healthPort()));
    }
    if (config.runs(AppConfig.Role.SANDBOX)) {
      listeners.put("SANDBOX_PORT", new InetSocketAddress(config.sandbox().host(), config.sandbox().port()));
    }
    for (Map.Entry<String, InetSocketAddress> listener : listeners.entrySet()) {
      InetSocketAddress address = listener.getValue();
      if (address.getPort() == 0) continue;
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(address);
      } catch (IOException e) {
        return "%s %d is already in use on %s (%s): stop what listens there or set %s to a free port".formatted(
            listener.getKey(), address.getPort(), address.getHostString(), e.getMessage(), listener.getKey());
      }
    }
    return null;
  }

  /**
   * SIGTERM: {@link Node#shutdown()} (readiness 503, timer leases handed back, HTTP drained, pools
   * closed), then Vert.x, all within {@link AppConfig.LifecycleSettings#STOP_BUDGET}; past it the JVM
   * exits anyway (the leases are already back, a cut request's hold is refunded by its watchdog).
   */
  private static void shutdown(Vertx vertx, Node node) {
    long started = System.nanoTime();
    CountDownLatch done = new CountDownLatch(1);
    node.shutdown().eventually(() -> vertx.close()).onComplete(r -> done.countDown());
    try {
      long budget = AppConfig.LifecycleSettings.STOP_BUDGET.toMillis();
      if (done.await(budget, TimeUnit.MILLISECONDS)) {
        LOG.info("graceful stop complete in {} ms", (System.nanoTime() - started) / 1_000_000);
      } else {
        LOG.error("graceful stop did not finish within {} ms; exiting anyway", budget);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
