package com.otporchestrator.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Real PostgreSQL and Redis for tests: the local services at DATABASE_URL / REDIS_URL (or the
 * defaults) when they answer, else Testcontainers on machines with Docker. Each test class gets its
 * own database and its own Redis key prefix, so classes never see each other's rows or timers.
 */
public final class TestStores {
  private static Endpoints endpoints;

  private record Endpoints(String adminDatabaseUrl, String redisUrl) {}

  /** One test class's private database and key space. */
  public record Isolated(String databaseUrl, String redisUrl, String redisPrefix, String databaseName) implements AutoCloseable {
    @Override
    public void close() {
      dropDatabase(databaseName);
    }
  }

  private TestStores() {}

  public static synchronized Isolated isolate(Class<?> testClass) {
    Endpoints e = endpoints();
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String name = ("t_" + testClass.getSimpleName().toLowerCase(Locale.ROOT) + "_" + suffix);
    if (name.length() > 60) name = name.substring(0, 49) + "_" + suffix;
    execute(e.adminDatabaseUrl(), "CREATE DATABASE " + name);
    return new Isolated(withDatabase(e.adminDatabaseUrl(), name), e.redisUrl(), "test:" + suffix + ":", name);
  }

  private static synchronized Endpoints endpoints() {
    if (endpoints != null) return endpoints;
    String db = env("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test");
    String redis = env("REDIS_URL", "redis://127.0.0.1:6379");
    if (reachable(db, 5432) && reachable(redis, 6379)) {
      endpoints = new Endpoints(db, redis);
    } else {
      endpoints = containers();
    }
    return endpoints;
  }

  @SuppressWarnings("resource")
  private static Endpoints containers() {
    PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:16-alpine");
    postgres.start();
    GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
    redis.start();
    String db = "postgresql://%s:%s@%s:%d/%s".formatted(postgres.getUsername(), postgres.getPassword(),
        postgres.getHost(), postgres.getMappedPort(5432), postgres.getDatabaseName());
    return new Endpoints(db, "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
  }

  private static void dropDatabase(String name) {
    execute(endpoints().adminDatabaseUrl(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void execute(String url, String sql) {
    URI uri = URI.create(url);
    Properties props = new Properties();
    String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
    props.setProperty("user", userInfo[0]);
    if (userInfo.length > 1) props.setProperty("password", userInfo[1]);
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
    try (Connection connection = DriverManager.getConnection(jdbc, props); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + jdbc + ": " + e.getMessage(), e);
    }
  }

  private static String withDatabase(String url, String database) {
    URI uri = URI.create(url);
    String base = url.substring(0, url.length() - uri.getRawPath().length() - (uri.getRawQuery() == null ? 0 : uri.getRawQuery().length() + 1));
    return base + "/" + database;
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

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
