package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.common.Money;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A low-balance wallet bought from on three nodes at once")
class LowBalanceRaceTest {
  private static final int ROUNDS = 40;
  private static final int BUYERS = 24;
  private static final int[] COUNTRIES = {0, 1, 2};

  private static TestStores.Isolated stores;
  private static final List<TestNode> nodes = new ArrayList<>();

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(LowBalanceRaceTest.class);
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = TestNode.defaults(stores);
      env.put("ROLES", i == 0 ? "api,timers,sandbox" : "api,timers");
      nodes.add(TestNode.start(env));
    }
    for (int country : COUNTRIES) nodes.get(0).offer("tg", country, "0.25");
  }

  @AfterAll
  static void stop() {
    nodes.get(0).assertMoneyInvariants();
    nodes.forEach(TestNode::assertEventLoopNeverBlocked);
    nodes.forEach(TestNode::close);
    stores.close();
  }

  @Test
  @DisplayName("answers 402 for what $1.00 cannot pay, never a server error, while refunds of the same wallet race the purchases")
  void sellsWhatTheBalanceCoversAndRefusesTheRestWith402() throws Exception {
    Map<String, Integer> outcomes = new TreeMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      Customer customer = nodes.get(round % 3).customer("race-" + round, "1.00", "bulk");
      List<Long> refunded = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Api.Response bought = nodes.get(i).api().post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
        assertThat(bought.status()).as("%s", bought).isEqualTo(201);
        refunded.add(bought.json().getLong("id"));
      }
      List<Api.Response> answers = buyAllAtOnce(customer, refunded);
      int sold = 0;
      for (int k = 0; k < answers.size(); k++) {
        Api.Response answer = answers.get(k);
        String kind = k >= BUYERS ? "cancel " : batch(k) ? "batch " : "single ";
        outcomes.merge(kind + answer.status(), 1, Integer::sum);
        assertThat(answer.status()).as("round %d, %s: %s", round, kind, answer).isLessThan(500);
        if (k >= BUYERS) {
          assertThat(answer.status()).as("round %d: %s", round, answer).isEqualTo(200);
        } else if (batch(k)) {
          assertThat(answer.status()).as("round %d: %s", round, answer).isIn(200, 201);
          sold += answer.json().getInteger("allocated");
        } else {
          assertThat(answer.status()).as("round %d: %s", round, answer).isIn(201, 402);
          if (answer.status() == 201) sold++;
        }
      }
      assertThat(sold).as("numbers sold in round %d", round).isBetween(2, 4);
      JsonObject wallet = nodes.get(0).api().get("/v1/wallet", customer.apiKey()).json();
      assertThat(wallet.getString("held")).isEqualTo(Money.format(sold * 250_000L));
      assertThat(wallet.getString("balance")).isEqualTo(Money.format(1_000_000L - sold * 250_000L));
    }
    System.out.printf("low-balance race: %d rounds of %d buyers and 2 refunds on three nodes: %s%n", ROUNDS, BUYERS, outcomes);
  }

  @Test
  @DisplayName("buys with a refund that committed after the purchase began: the balance as locked pays, not the one first seen")
  void aRefundCommittedWhileThePurchaseWaitedPaysForIt() throws Exception {
    TestNode node = nodes.get(0);
    Customer customer = node.customer("refund-then-buy", "0.25", "bulk");
    Api.Response first = node.api().post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(first.status()).as("%s", first).isEqualTo(201);
    long firstId = first.json().getLong("id");
    SqlConnection lock = Await.result(node.node().core().pool().getConnection());
    Api.Response[] cancel = new Api.Response[1];
    Api.Response[] purchase = new Api.Response[1];
    try {
      // the test holds the wallet row, so the refund and then the purchase queue behind it, in that order: the purchase's
      // statement starts (and takes its snapshot) while the refund is not committed yet
      Await.result(lock.query("BEGIN").execute());
      Await.result(lock.preparedQuery("SELECT balance FROM wallets WHERE account_id = $1 FOR UPDATE").execute(Tuple.of(customer.id())));
      Thread cancelling = Thread.ofVirtual().start(() ->
          cancel[0] = node.api().post("/v1/activations/" + firstId + "/cancel", customer.apiKey(), new JsonObject()));
      Await.until("the refund waits for the wallet", Duration.ofSeconds(10), () -> waitingForLocks(lock) == 1);
      Thread buying = Thread.ofVirtual().start(() ->
          purchase[0] = node.api().post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0)));
      Await.until("the purchase waits for the wallet too", Duration.ofSeconds(10), () -> waitingForLocks(lock) == 2);
      Await.result(lock.query("COMMIT").execute());
      cancelling.join();
      buying.join();
    } finally {
      lock.close();
    }
    assertThat(cancel[0].status()).as("%s", cancel[0]).isEqualTo(200);
    assertThat(purchase[0].status()).as("the purchase the refunded balance covers: %s", purchase[0]).isEqualTo(201);
    JsonObject wallet = node.api().get("/v1/wallet", customer.apiKey()).json();
    assertThat(wallet.getString("balance")).isEqualTo("0.00");
    assertThat(wallet.getString("held")).isEqualTo("0.25");
  }

  /** How many other sessions of this database wait for a lock. */
  private static long waitingForLocks(SqlConnection self) {
    return Await.result(self.query("""
        SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'""").execute())
        .iterator().next().getLong("n");
  }

  /**
   * Every third buyer sends a batch of two, the others buy one, and each order of {@code toCancel} is cancelled (its
   * price returns to the wallet); they start together, spread over the nodes.
   */
  private static List<Api.Response> buyAllAtOnce(Customer customer, List<Long> toCancel) throws InterruptedException {
    CountDownLatch go = new CountDownLatch(1);
    Api.Response[] answers = new Api.Response[BUYERS + toCancel.size()];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < BUYERS; i++) {
      int k = i;
      Api api = nodes.get(k % 3).api();
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        int country = COUNTRIES[k % COUNTRIES.length];
        answers[k] = batch(k)
            ? api.post("/v1/activations/batch", customer.apiKey(), new JsonObject().put("items", new JsonArray()
                .add(new JsonObject().put("service", "tg").put("country", country).put("quantity", 2))))
            : api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", country));
      }));
    }
    for (int i = 0; i < toCancel.size(); i++) {
      int k = BUYERS + i;
      long id = toCancel.get(i);
      Api api = nodes.get(i % 3).api();
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        answers[k] = api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), new JsonObject());
      }));
    }
    go.countDown();
    for (Thread thread : threads) thread.join();
    return List.of(answers);
  }

  private static boolean batch(int k) {
    return k % 3 == 0;
  }
}
