package com.otporchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Many purchases over real HTTP, a bounded number in flight, spread as the caller says per order index. */
public final class ConcurrentPurchases {
  private ConcurrentPurchases() {}

  /**
   * Sends {@code orders} POST /v1/activations, at most {@code inFlight} at a time; order {@code i}
   * goes to {@code node.apply(i)} with key {@code apiKey.apply(i)} and body {@code body.apply(i)}.
   * Fails if any purchase did not answer 201; answers how many did.
   */
  public static int buy(int orders, int inFlight, IntFunction<Api> node, IntFunction<String> apiKey,
                        IntFunction<JsonObject> body) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Semaphore permits = new Semaphore(inFlight);
    AtomicInteger created = new AtomicInteger();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> all = new ArrayList<>(orders);
    for (int i = 0; i < orders; i++) {
      permits.acquire();
      HttpRequest request = HttpRequest.newBuilder(URI.create(node.apply(i).baseUrl() + "/v1/activations"))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey.apply(i))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.apply(i).encode())).build();
      all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
        permits.release();
        if (error == null && response.statusCode() == 201) created.incrementAndGet();
        else if (failures.size() < 5) failures.add(error != null ? error.toString() : response.statusCode() + " " + response.body());
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get();
    assertThat(failures).as("failed purchases").isEmpty();
    return created.get();
  }
}
