package com.otporchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Group commit for single-row writes: each execution of the statement records how many ids it carried, so the test
 * reads how the ids were grouped from PostgreSQL itself.
 */
@DisplayName("A grouped statement: one execution at a time, the ids that wait go together")
class GroupedStatementTest {
  private static final String RECORD = "INSERT INTO grouped_runs (ids) SELECT cardinality($1::bigint[])";
  private static TestStores.Isolated stores;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    stores = TestStores.isolate(GroupedStatementTest.class);
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, stores.databaseUrl(), 2, "grouped-test");
    pool.query("CREATE TABLE IF NOT EXISTS grouped_runs (run bigserial PRIMARY KEY, ids int NOT NULL)").execute()
        .await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void empty() throws Exception {
    pool.query("TRUNCATE grouped_runs").execute().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    stores.close();
  }

  @Test
  void aLoneIdIsWrittenAtOnceAndTheIdsThatArriveMeanwhileGoInTheNextExecution() throws Exception {
    GroupedStatement statement = new GroupedStatement(pool, RECORD, 1_000);
    List<Future<Void>> writes = addAll(statement, 100);
    Future.all(writes).await(10, TimeUnit.SECONDS);
    assertThat(runs()).containsExactly(1, 99);
  }

  @Test
  void anExecutionCarriesAtMostItsLimit() throws Exception {
    GroupedStatement statement = new GroupedStatement(pool, RECORD, 1_000);
    Future.all(addAll(statement, 2_500)).await(10, TimeUnit.SECONDS);
    assertThat(runs()).containsExactly(1, 1_000, 1_000, 499);
  }

  @Test
  void aFailedExecutionFailsEveryIdItCarriedAndTheNextOneStillRuns() throws Exception {
    GroupedStatement failing = new GroupedStatement(pool, "INSERT INTO grouped_runs (ids) SELECT NULL::int "
        + "WHERE cardinality($1::bigint[]) > 0", 1_000);
    List<Future<Void>> writes = addAll(failing, 10);
    Future.join(writes).otherwiseEmpty().await(10, TimeUnit.SECONDS); // failed, as asserted below
    assertThat(writes).allMatch(Future::failed);
    GroupedStatement working = new GroupedStatement(pool, RECORD, 1_000);
    working.add(1).await(10, TimeUnit.SECONDS);
    assertThat(runs()).containsExactly(1);
  }

  /** Adds {@code n} ids from one event-loop turn, as a timer batch's closes arrive. */
  private static List<Future<Void>> addAll(GroupedStatement statement, int n) throws Exception {
    List<Future<Void>> writes = new ArrayList<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      synchronized (writes) {
        for (long id = 1; id <= n; id++) writes.add(statement.add(id));
        writes.notifyAll();
      }
    });
    synchronized (writes) {
      while (writes.size() < n) writes.wait(10_000);
    }
    return writes;
  }

  private static List<Integer> runs() throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (Row row : pool.query("SELECT ids FROM grouped_runs ORDER BY run").execute().await(10, TimeUnit.SECONDS)) {
      sizes.add(row.getInteger("ids"));
    }
    return sizes;
  }
}
