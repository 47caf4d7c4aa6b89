package com.otporchestrator.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.Modules;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.testing.WebClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Dev mode's seed gives the demo account the customer console login its banner prints")
class DemoLoginTest {

  @Test
  @DisplayName("after the seed, the demo email and password open the customer console on the demo account")
  void demoLogin() throws Exception {
    try (TestStores.Isolated stores = TestStores.isolate(DemoLoginTest.class); TestNode node = TestNode.start(stores)) {
      Modules m = node.node().modules();
      DevSeed.seed(new DevSeed.Stores(m.catalog().repository(), m.rentals().repository(), m.accounts().repository(),
          m.wallets().repository(), m.web()), DevMode.DEFAULTS.get("DEMO_API_KEY")).await(60, TimeUnit.SECONDS);
      WebClient web = new WebClient(node.api().baseUrl());
      web.login(DevSeed.DEMO_EMAIL, DevSeed.DEMO_PASSWORD);
      WebClient.Page home = web.get("/app");
      assertThat(home.status()).isEqualTo(200);
      assertThat(home.body()).contains("data-testid=\"signed-in-as\">demo<").contains("data-testid=\"balance\">$100.00<");
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    }
  }
}
