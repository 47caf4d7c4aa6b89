package com.otporchestrator.dev;

import com.otporchestrator.store.Database.JdbcTarget;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * What a PostgreSQL that answers on DATABASE_URL's port makes of that URL, asked over JDBC before anything starts: the
 * database is there, or it was missing and is now created (a stock install has only {@code postgres}), or the server
 * refused the credentials, or something else went wrong. Used by dev mode and by the test harness.
 */
public final class LocalPostgres {
  /** The outcome of {@link #prepare}, with the server's own words when it is not READY or CREATED. */
  public record Check(Outcome outcome, String detail) {}

  public enum Outcome { READY, CREATED, REFUSED, FAILED }

  private static final String MISSING_DATABASE = "3D000";

  private LocalPostgres() {}

  /** Connects to the URL's database, creating it through the server's {@code postgres} database when it is missing. */
  public static Check prepare(String databaseUrl) {
    try {
      execute(databaseUrl, null);
      return new Check(Outcome.READY, null);
    } catch (SQLException e) {
      if (!MISSING_DATABASE.equals(e.getSQLState())) return failure(e);
    }
    String name = databaseName(databaseUrl);
    try {
      execute(withDatabase(databaseUrl, "postgres"), "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
      return new Check(Outcome.CREATED, name);
    } catch (SQLException e) {
      return failure(e);
    }
  }

  /** host:port of a postgresql:// URL, to name the server without its credentials. */
  public static String server(String databaseUrl) {
    URI uri = URI.create(databaseUrl);
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
  }

  /** The same server and credentials, another database. */
  public static String withDatabase(String databaseUrl, String database) {
    URI uri = URI.create(databaseUrl);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String base = databaseUrl.substring(0, databaseUrl.length() - path.length() - query.length());
    return base + "/" + database + query;
  }

  private static String databaseName(String databaseUrl) {
    String path = URI.create(databaseUrl).getPath();
    return path == null || path.length() <= 1 ? "postgres" : path.substring(1);
  }

  /** Authentication refused (28xxx) or no password given where the server wants one (08004); else any failure. */
  private static Check failure(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean refused = state.startsWith("28") || state.equals("08004");
    return new Check(refused ? Outcome.REFUSED : Outcome.FAILED, e.getMessage());
  }

  private static void execute(String databaseUrl, String sql) throws SQLException {
    JdbcTarget target = JdbcTarget.of(databaseUrl);
    Properties props = new Properties();
    props.setProperty("user", target.user());
    if (target.password() != null) props.setProperty("password", target.password());
    props.setProperty("connectTimeout", "3");
    props.setProperty("loginTimeout", "5");
    try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), props);
         Statement statement = connection.createStatement()) {
      if (sql != null) statement.execute(sql);
    }
  }
}
