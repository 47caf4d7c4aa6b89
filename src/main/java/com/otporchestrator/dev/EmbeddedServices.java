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
 * Dev mode only, before Vert.x starts: makes DATABASE_URL and REDIS_URL point at stores that work. A PostgreSQL that
 * answers gets the URL's database created if it is missing; when none answers, or it refuses the URL's credentials,
 * an embedded PostgreSQL is started instead (binaries shipped in Maven Central jars); likewise an embedded Redis when
 * none answers. Each choice is said in one line.
 */
final class EmbeddedServices {
  static final String DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test";
  private EmbeddedPostgres postgres;
  private RedisServer redis;

  void ensurePostgres(Map<String, String> env) {
    String url = env.getOrDefault("DATABASE_URL", DEFAULT_DATABASE_URL);
    String server = LocalPostgres.server(url);
    if (!reachable(url, 5432)) {
      startPostgres(env, "no PostgreSQL answers at " + server);
      return;
    }
    LocalPostgres.Check check = LocalPostgres.prepare(url);
    switch (check.outcome()) {
      case READY -> { }
      case CREATED -> System.out.println("created database '" + check.detail() + "' on the PostgreSQL at " + server);
      case REFUSED -> startPostgres(env, "the PostgreSQL at " + server + " refused DATABASE_URL's credentials ("
          + check.detail() + ")");
      case FAILED -> startPostgres(env, "the PostgreSQL at " + server + " cannot be used (" + check.detail() + ")");
    }
  }

  private void startPostgres(Map<String, String> env, String why) {
    System.out.println(why + "; starting an embedded PostgreSQL");
    try {
      postgres = EmbeddedPostgres.builder().setPort(freePort()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start an embedded PostgreSQL: " + e.getMessage(), e);
    }
    env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres");
  }

  void ensureRedis(Map<String, String> env) {
    String url = env.getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    if (reachable(url, 6379)) return;
    URI uri = URI.create(url);
    System.out.println("no Redis answers at " + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort())
        + "; starting an embedded Redis");
    try {
      int port = freePort();
      redis = new RedisServer(port);
      redis.start();
      env.put("REDIS_URL", "redis://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start an embedded Redis: " + e.getMessage(), e);
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
