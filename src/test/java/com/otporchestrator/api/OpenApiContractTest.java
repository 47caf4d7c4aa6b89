package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.ApiContract;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract: GET /openapi.json is a valid OpenAPI 3.1 document, every route mounted under /v1 and /admin/v1 is in
 * it and every operation in it is mounted, the docs page is served by the same process, and the response validation
 * every test's {@link Api} applies does fail on a drifted shape.
 */
@DisplayName("The OpenAPI document matches the routes and checks every response")
class OpenApiContractTest {
  private static TestStores.Isolated stores;
  private static TestNode node;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(OpenApiContractTest.class);
    node = TestNode.start(stores);
  }

  @AfterAll
  static void stop() {
    try {
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      stores.close();
    }
  }

  @Test
  void theServedDocumentIsOpenApi31AndLoadsAsAContract() {
    Api.Response served = node.api().get("/openapi.json", null);
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.contentType()).startsWith("application/json");
    JsonObject document = served.json();
    assertThat(document.getString("openapi")).isEqualTo("3.1.0");
    // the same document the suite validates against, and it loads (vertx-openapi checks it against the 3.1 schema)
    Set<String> servedPaths = new TreeSet<>(document.getJsonObject("paths").fieldNames());
    Set<String> checkedPaths = new TreeSet<>();
    ApiContract.get().contract().operations().forEach(op -> checkedPaths.add(op.getOpenAPIPath()));
    assertThat(servedPaths).isEqualTo(checkedPaths);
    assertThat(ApiContract.get().contract().operations()).hasSizeGreaterThan(50);
  }

  @Test
  void everyMountedRouteIsDocumentedAndEveryDocumentedOperationIsMounted() {
    Router router = Router.router(node.vertx());
    for (FeatureModule module : node.node().modules().all()) {
      module.mountBeforeBody(router);
      module.mount(router);
    }
    Set<String> mounted = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || !(path.startsWith("/v1/") || path.startsWith("/admin/v1/"))) continue;
      if (route.methods() == null || route.methods().isEmpty()) continue; // guards, not operations
      for (HttpMethod method : route.methods()) {
        mounted.add(method.name() + " " + path.replaceAll(":([A-Za-z]+)", "{$1}"));
      }
    }
    Set<String> documented = new TreeSet<>();
    ApiContract.get().contract().operations()
        .forEach(op -> documented.add(op.getHttpMethod().name() + " " + op.getOpenAPIPath()));
    assertThat(documented).as("operations in src/main/resources/openapi/openapi.yaml")
        .containsExactlyInAnyOrderElementsOf(mounted);
  }

  @Test
  void theDocsPageAndSwaggerUiAreServedBySameProcess() {
    Api.Response page = node.api().get("/docs", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("/openapi.json", "/docs/swagger-ui/swagger-ui-bundle.js");
    Api.Response bundle = node.api().get("/docs/swagger-ui/swagger-ui-bundle.js", null);
    assertThat(bundle.status()).isEqualTo(200);
    assertThat(bundle.body()).contains("SwaggerUIBundle");
    assertThat(node.api().get("/docs/swagger-ui/swagger-ui.css", null).status()).isEqualTo(200);
  }

  @Test
  void theResponseCheckFailsOnADriftedShapeAnUndocumentedStatusAndAnUnknownRoute() {
    ApiContract contract = ApiContract.get();
    String wallet = new JsonObject().put("balance", "1.00").put("held", "0.00").put("currency", "USD").encode();
    contract.check("GET", "/v1/wallet", 200, "application/json", wallet);
    // a field added, a field gone, a field of another type: each is drift
    assertThatThrownBy(() -> contract.check("GET", "/v1/wallet", 200, "application/json",
        new JsonObject(wallet).put("bonus", "1.00").encode())).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> contract.check("GET", "/v1/wallet", 200, "application/json",
        new JsonObject(wallet).put("held", (Object) null).encode())).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> contract.check("GET", "/v1/wallet", 200, "application/json",
        new JsonObject().put("balance", 1).put("held", "0.00").put("currency", "USD").encode())).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> contract.check("DELETE", "/v1/webhook", 200, "application/json", wallet))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> contract.check("GET", "/v1/no-such-route", 200, "application/json", "{}"))
        .isInstanceOf(AssertionError.class);
    // a problem answers every failure
    assertThatThrownBy(() -> contract.check("GET", "/v1/wallet", 401, "application/problem+json", "{\"oops\":1}"))
        .isInstanceOf(AssertionError.class);
    // and a real call goes through the same check (Api applies it)
    assertThat(node.api().get("/v1/wallet", "not-a-key").status()).isEqualTo(401);
  }
}
