package com.otporchestrator.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * Dev mode only, before Vert.x starts: when PostgreSQL or Redis does not answer at its configured
 * address, start an embedded one (binaries shipped in Maven Central jars) and point the settings
 * at it.
 */
final class EmbeddedServices {
  private EmbeddedPostgres postgres;
  private RedisServer redis;

  void ensurePostgres(Map<String, String> env) {
    String url = env.getOrDefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test");
    if (reachable(url, 5432)) return;
    System.out.println("PostgreSQL is not reachable at " + url + "; starting an embedded one");
    try {
      postgres = EmbeddedPostgres.builder().setPort(freePort()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded PostgreSQL (it refuses to run as root): " + e.getMessage(), e);
    }
    env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres");
  }

  void ensureRedis(Map<String, String> env) {
    String url = env.getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    if (reachable(url, 6379)) return;
    System.out.println("Redis is not reachable at " + url + "; starting an embedded one");
    try {
      int port = freePort();
      redis = new RedisServer(port);
      redis.start();
      env.put("REDIS_URL", "redis://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded Redis: " + e.getMessage(), e);
    }
  }

  void stop() {
    try {
      if (redis != null) redis.stop();
      if (postgres != null) postgres.close();
    } catch (IOException e) {
      System.err.println("embedded services did not stop cleanly: " + e.getMessage());
    }
  }

  private static boolean reachable(String url, int defaultPort) {
    URI uri = URI.create(url);
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
