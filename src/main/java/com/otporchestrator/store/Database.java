package com.otporchestrator.store;

import io.vertx.core.Future;
import com.otporchestrator.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;

/** Builds the PostgreSQL pools and runs the Flyway migrations (JDBC, so off the event loop). */
public final class Database {
  /**
   * The longest statement text the prepared-statement cache keeps (Vert.x's default is 2,048 characters). Statements
   * carry their money as appended ledger fragments and reach about 3,000 characters: cut off, they would be parsed and
   * planned again on every execution, the expiry batch among them.
   */
  public static final int STATEMENT_CACHE_SQL_LIMIT = 8_192;

  private Database() {}

  /**
   * The process's pools, one {@link Pool} to the modules (see {@link DatabasePools}): the requests' pool, one per event
   * loop that uses PostgreSQL (see {@link EventLoopPool}), each of half {@code DATABASE_POOL_SIZE} connections (at least
   * one), so the API's two loops together keep the configured count; the timer engine's pool of
   * {@code TIMER_DATABASE_POOL_SIZE}, which every statement made on the engine's context uses; and the readiness check's
   * own {@code HEALTH_DATABASE_POOL_SIZE}. Each pool is named {@code name-<lane>-<n>} in the metrics.
   */
  public static DatabasePools pools(Vertx vertx, String databaseUrl, int requestConnections,
                                    AppConfig.DatabasePools sizes, String name) {
    int perLoop = Math.max(1, (requestConnections + 1) / 2);
    long acquireMillis = sizes.acquireTimeout().toMillis();
    Pool requests = new EventLoopPool(vertx, n -> singlePool(vertx, databaseUrl, perLoop, acquireMillis, name + "-" + n));
    Pool timers = new EventLoopPool(vertx,
        n -> singlePool(vertx, databaseUrl, sizes.timers(), acquireMillis, name + "-timers-" + n));
    Pool health = singlePool(vertx, databaseUrl, sizes.health(), acquireMillis, name + "-health");
    return new DatabasePools(requests, timers, health);
  }

  /** The requests' pool alone (tools and tests that run no timer engine). */
  public static Pool pool(Vertx vertx, String databaseUrl, int size, String name) {
    int perLoop = Math.max(1, (size + 1) / 2);
    return new EventLoopPool(vertx, n -> singlePool(vertx, databaseUrl, perLoop, DEFAULT_ACQUIRE_MILLIS, name + "-" + n));
  }

  private static final long DEFAULT_ACQUIRE_MILLIS = 10_000;

  /**
   * Whether {@code failure} is a pool's refusal to wait longer for a connection (all of them busy for the acquire
   * timeout): the node is overloaded, nothing was done, and the caller may try again.
   */
  public static boolean isPoolExhausted(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof VertxException && POOL_EXHAUSTED.equals(t.getMessage())) return true;
      if (t instanceof VertxException && ACQUIRE_TIMEOUT.equals(t.getMessage())
          && t.getClass().getName().equals(ACQUIRE_TIMEOUT_TYPE)) {
        return true;
      }
      if (t.getCause() == t) break;
    }
    return false;
  }

  /**
   * How the sql client says its acquire timeout passed, having no exception type of its own: a statement run on the
   * pool fails with this message, a connection asked for ({@code withTransaction}) with {@link #ACQUIRE_TIMEOUT} in a
   * plain {@link #ACQUIRE_TIMEOUT_TYPE}.
   */
  static final String POOL_EXHAUSTED = "Timeout waiting for connection";
  static final String ACQUIRE_TIMEOUT = "Timeout";
  static final String ACQUIRE_TIMEOUT_TYPE = "io.vertx.core.impl.NoStackTraceThrowable";

  private static Pool singlePool(Vertx vertx, String databaseUrl, int size, long acquireMillis, String name) {
    PgConnectOptions connect = PgConnectOptions.fromUri(databaseUrl)
        .setCachePreparedStatements(true)
        .setPreparedStatementCacheMaxSize(512)
        .setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT)
        .setPipeliningLimit(256);
    connect.setMetricsName("postgres"); // metrics label client_namespace
    connect.getProperties().put("application_name", "otp-orchestrator");
    PoolOptions pool = new PoolOptions().setMaxSize(size).setName(name).setShared(true)
        .setMaxWaitQueueSize(100_000).setConnectionTimeout((int) acquireMillis)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  public static Future<Void> migrate(Vertx vertx, String databaseUrl) {
    return vertx.executeBlocking(() -> {
      JdbcTarget target = JdbcTarget.of(databaseUrl);
      Flyway flyway = Flyway.configure()
          .dataSource(target.jdbcUrl(), target.user(), target.password())
          .locations("classpath:db/migration")
          .load();
      acceptCommentEdits(target);
      flyway.migrate();
      return null;
    });
  }

  /**
   * Applied migrations whose comments were reworded (the SQL is unchanged): the version, Flyway's checksum of the
   * old text and of the new one. Flyway refuses to start on a database that recorded the old checksum, so such a
   * database is told the new one first, for exactly these versions and only from exactly the old checksum.
   */
  static final List<CommentEdit> COMMENT_EDITS = List.of(new CommentEdit("3", 764392150, -1656509997));

  record CommentEdit(String version, int before, int after) {}

  private static void acceptCommentEdits(JdbcTarget target) throws SQLException {
    try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password())) {
      try (Statement probe = connection.createStatement();
          ResultSet history = probe.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
        if (!history.next() || !history.getBoolean(1)) return;
      }
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE flyway_schema_history SET checksum = ? WHERE version = ? AND checksum = ?")) {
        for (CommentEdit edit : COMMENT_EDITS) {
          update.setInt(1, edit.after());
          update.setString(2, edit.version());
          update.setInt(3, edit.before());
          update.executeUpdate();
        }
      }
    }
  }

  /** The JDBC view of a postgresql:// URL, for Flyway (and dev mode's and the tests' checks before start-up). */
  public record JdbcTarget(String jdbcUrl, String user, String password) {
    public static JdbcTarget of(String databaseUrl) {
      URI uri = URI.create(databaseUrl);
      String user = "postgres";
      String password = null;
      if (uri.getUserInfo() != null) {
        String[] parts = uri.getUserInfo().split(":", 2);
        user = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
        if (parts.length == 2) password = java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8);
      }
      int port = uri.getPort() < 0 ? 5432 : uri.getPort();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new JdbcTarget("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query, user, password);
    }
  }
}
