package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.otporchestrator.testing.TestStores;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** V8: published policy versions can be inserted, never updated or deleted. */
class PolicyMigrationTest {
  static TestStores.Isolated stores;
  static String jdbc;
  static Properties props = new Properties();

  @BeforeAll
  static void migrate() {
    stores = TestStores.isolate(PolicyMigrationTest.class);
    URI uri = URI.create(stores.databaseUrl());
    String[] user = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
    props.setProperty("user", user[0]);
    if (user.length > 1) props.setProperty("password", user[1]);
    jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
    Flyway.configure().dataSource(jdbc, props.getProperty("user"), props.getProperty("password"))
        .locations("classpath:db/migration").load().migrate();
  }

  @AfterAll
  static void drop() {
    if (stores != null) stores.close();
  }

  @Test
  void insertOnlyVersionedDocuments() throws SQLException {
    String sha = "a".repeat(64);
    try (Connection c = DriverManager.getConnection(jdbc, props); var st = c.createStatement()) {
      st.execute("INSERT INTO refund_policies (policy_id, version, document, document_sha256, published_by) "
          + "VALUES ('smssb_refund_policy', 1, 'id: smssb_refund_policy', '" + sha + "', 'test')");
      st.execute("INSERT INTO refund_policies (policy_id, version, document, document_sha256, published_by) "
          + "VALUES ('smssb_refund_policy', 2, 'id: smssb_refund_policy', '" + sha + "', 'test')");
      assertThatThrownBy(() -> st.execute("UPDATE refund_policies SET document = 'x' WHERE version = 1"))
          .hasMessageContaining("smssb_refund_policy/1 is published and immutable");
      assertThatThrownBy(() -> st.execute("DELETE FROM refund_policies WHERE version = 2"))
          .hasMessageContaining("smssb_refund_policy/2 is published and immutable");
      assertThatThrownBy(() -> st.execute("INSERT INTO refund_policies (policy_id, version, document, document_sha256, "
          + "published_by) VALUES ('smssb_refund_policy', 1, 'dup', '" + sha + "', 'test')"))
          .hasMessageContaining("duplicate key");
      try (var rs = st.executeQuery("SELECT count(*) FROM refund_policies")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
  }
}
