package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode.Customer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What a customer can see of their money and orders; a rejected request must leave it as it was. */
record CustomerState(JsonObject wallet, JsonArray orders, JsonArray transactions) {

  static CustomerState of(Api api, Customer customer) {
    Api.Response wallet = api.get("/v1/wallet", customer.apiKey());
    Api.Response orders = api.get("/v1/activations?limit=500", customer.apiKey());
    Api.Response transactions = api.get("/v1/wallet/transactions?limit=500", customer.apiKey());
    assertThat(wallet.status()).as("%s", wallet).isEqualTo(200);
    assertThat(orders.status()).as("%s", orders).isEqualTo(200);
    assertThat(transactions.status()).as("%s", transactions).isEqualTo(200);
    return new CustomerState(wallet.json(), orders.items(), transactions.items());
  }

  void assertUnchanged(Api api, Customer customer) {
    CustomerState now = of(api, customer);
    assertThat(now.wallet()).as("wallet").isEqualTo(wallet);
    assertThat(now.orders()).as("orders").isEqualTo(orders);
    assertThat(now.transactions()).as("transactions").isEqualTo(transactions);
  }
}
