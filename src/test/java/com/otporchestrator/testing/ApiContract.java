package com.otporchestrator.testing;

import com.otporchestrator.api.ApiDocs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The OpenAPI document (src/main/resources/openapi/openapi.yaml) as a checker of responses: every answer {@link Api}
 * receives from /v1 or /admin/v1 must be documented for its operation and status, and a JSON body must match the
 * documented schema, so the whole suite checks response shapes. An answer for a route the document lacks fails too.
 */
public final class ApiContract {
  private static volatile ApiContract instance;

  private final OpenAPIContract contract;
  private final ResponseValidator validator;

  private ApiContract(OpenAPIContract contract, ResponseValidator validator) {
    this.contract = contract;
    this.validator = validator;
  }

  public static ApiContract get() {
    ApiContract current = instance;
    if (current != null) return current;
    synchronized (ApiContract.class) {
      if (instance == null) {
        Vertx vertx = Vertx.vertx(); // lives as long as the test JVM, like the document
        try {
          JsonObject document = validatable(new JsonObject(ApiDocs.read()));
          OpenAPIContract contract = OpenAPIContract.from(vertx, document).await(30, TimeUnit.SECONDS);
          instance = new ApiContract(contract, ResponseValidator.create(vertx, contract));
        } catch (Exception e) {
          throw new AssertionError("the OpenAPI document does not load: " + e, e);
        }
      }
      return instance;
    }
  }

  /**
   * vertx-openapi validates only some media types (application/json, text/plain, application/octet-stream...): the
   * checker reads a copy of the document where each other type is renamed to the one it validates like
   * ({@link #validatedAs}); the document served is unchanged.
   */
  static JsonObject validatable(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject responses = item.getJsonObject(method).getJsonObject("responses");
        for (String status : responses.fieldNames()) {
          JsonObject content = responses.getJsonObject(status).getJsonObject("content");
          if (content == null) continue;
          JsonObject renamed = new JsonObject();
          content.forEach(e -> renamed.put(validatedAs(e.getKey()), e.getValue()));
          responses.getJsonObject(status).put("content", renamed);
        }
      }
    }
    return copy;
  }

  /** problem+json is JSON; event streams and CSV are text; evidence files of any type are bytes. */
  static String validatedAs(String media) {
    if (media == null) return null;
    return switch (media) {
      case "application/problem+json" -> "application/json";
      case "text/event-stream", "text/csv" -> "text/plain";
      case "*/*" -> "application/octet-stream";
      default -> media.startsWith("image/") || media.equals("application/pdf") ? "application/octet-stream" : media;
    };
  }

  public OpenAPIContract contract() {
    return contract;
  }

  /** Fails (AssertionError) when the answer to {@code method path} is not what the document says. */
  public void check(String method, String pathAndQuery, int status, String contentType, String body) {
    String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
    if (!path.startsWith("/v1/") && !path.startsWith("/admin/v1/") && !path.equals("/v1") && !path.equals("/admin/v1")) {
      return;
    }
    String media = validatedAs(contentType == null ? null : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT));
    if (status == 404 && !"application/json".equals(media)) {
      return; // not our API's answer (its 404 is a problem): a listener without the api role, serving health only
    }
    Operation operation = contract.findOperation(path, HttpMethod.valueOf(method));
    if (operation == null) {
      // no such route: the router's 404/405, or the guards' refusal before routing (401, 403, 429): a problem
      if (status >= 400 && status != 400 && status < 500 && "application/json".equals(media)) {
        JsonObject problem = new JsonObject(body);
        if (problem.getInteger("status") == status && problem.getString("type") != null) return;
      }
      throw new AssertionError("OpenAPI: " + method + " " + path + " answered " + status + " but the document has no such"
          + " operation (src/main/resources/openapi/openapi.yaml)");
    }
    if (operation.getResponse(status) == null && operation.getDefaultResponse() == null) {
      throw new AssertionError("OpenAPI: " + operation.getOperationId() + " answered " + status + ", undocumented");
    }
    boolean json = "application/json".equals(media);
    ValidatableResponse response = json && body != null && !body.isEmpty()
        ? ValidatableResponse.create(status, Buffer.buffer(body), media)
        : ValidatableResponse.create(status);
    if (!json && body != null && !body.isEmpty()) {
      // event streams, CSV, evidence files: the status and the media type are what the document can say
      var documented = operation.getResponse(status) != null ? operation.getResponse(status) : operation.getDefaultResponse();
      boolean listed = documented.getContent().keySet().stream()
          .anyMatch(type -> type.equalsIgnoreCase(media));
      if (!listed) {
        throw new AssertionError("OpenAPI: " + operation.getOperationId() + " answered " + status + " as " + media
            + ", not a documented media type " + documented.getContent().keySet());
      }
      return;
    }
    try {
      validator.validate(response, operation.getOperationId()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("OpenAPI: " + operation.getOperationId() + " answered " + status + " with a body the"
          + " document does not allow: " + e.getMessage() + "\n" + body, e);
    }
  }
}
