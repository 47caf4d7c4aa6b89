package com.otporchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rewording a comment in an applied migration must not stop a database migrated before the edit from starting. */
@DisplayName("Migrations whose comments were reworded")
class MigrationCommentEditsTest {
  private static TestStores.Isolated stores;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(MigrationCommentEditsTest.class);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
    stores.close();
  }

  @Test
  @DisplayName("each recorded 'after' checksum is Flyway's checksum of the migration as it reads now")
  void afterChecksumsMatchTheFiles() throws Exception {
    for (Database.CommentEdit edit : Database.COMMENT_EDITS) {
      assertThat(flywayChecksum(edit.version())).as("V%s", edit.version()).isEqualTo(edit.after());
    }
  }

  @Test
  @DisplayName("a database that recorded the old checksums migrates and learns the new ones")
  void oldDatabaseStarts() throws Exception {
    Database.migrate(vertx, stores.databaseUrl()).await(60, TimeUnit.SECONDS);
    for (Database.CommentEdit edit : Database.COMMENT_EDITS) {
      execute("UPDATE flyway_schema_history SET checksum = " + edit.before() + " WHERE version = '" + edit.version() + "'");
    }

    Database.migrate(vertx, stores.databaseUrl()).await(60, TimeUnit.SECONDS);

    for (Database.CommentEdit edit : Database.COMMENT_EDITS) {
      assertThat(recordedChecksum(edit.version())).as("V%s", edit.version()).isEqualTo(edit.after());
    }
  }

  /** Flyway's checksum: CRC32 over the file's lines, without their line ends. */
  private static int flywayChecksum(String version) throws Exception {
    Path file;
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      file = files.filter(f -> f.getFileName().toString().startsWith("V" + version + "__")).findFirst().orElseThrow();
    }
    CRC32 crc = new CRC32();
    for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\r?\n", -1)) {
      crc.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return (int) crc.getValue();
  }

  private static int recordedChecksum(String version) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT checksum FROM flyway_schema_history WHERE version = '" + version + "'")) {
      assertThat(rows.next()).isTrue();
      return rows.getInt(1);
    }
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private static Connection connect() throws Exception {
    Database.JdbcTarget target = Database.JdbcTarget.of(stores.databaseUrl());
    return DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
  }
}
