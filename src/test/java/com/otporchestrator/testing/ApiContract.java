package com.otporchestrator.testing;

import com.otporchestrator.api.ApiDocs;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

/**
 * The OpenAPI document (src/main/resources/openapi/openapi.yaml) as a checker of responses: every answer {@link Api}
 * receives from /v1 or /admin/v1 must be documented for its operation and status, and a JSON body must match the
 * documented schema, so the whole suite checks response shapes. An answer for a route the document lacks fails too.
 * Every request the API accepted (a 2xx answer) is checked the other way round: its query parameters must be
 * documented for the operation, and its path parameters, query values and JSON body must be valid for it, so a
 * parameter the code reads but the document lacks, or a body the document would refuse, fails the test that sent it.
 */
public final class ApiContract {
  private static volatile ApiContract instance;

  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  private final RequestValidator requests;

  private ApiContract(OpenAPIContract contract, ResponseValidator validator, RequestValidator requests) {
    this.contract = contract;
    this.validator = validator;
    this.requests = requests;
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
          instance = new ApiContract(contract, ResponseValidator.create(vertx, contract),
              RequestValidator.create(vertx, contract));
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

  /**
   * Fails (AssertionError) when a request the API accepted is one the document would refuse: an undocumented query
   * parameter, a path or query value outside its schema, or a JSON body its schema refuses.
   */
  public void checkAccepted(String method, String path, String rawQuery, String contentType, String body) {
    if (!path.startsWith("/v1/") && !path.startsWith("/admin/v1/")) return;
    Operation operation = contract.findOperation(path, HttpMethod.valueOf(method));
    if (operation == null) return; // check() has already failed the exchange
    Map<String, RequestParameter> query = queryOf(operation, rawQuery);
    Map<String, RequestParameter> pathParameters = pathParametersOf(operation, path);
    String media = contentType == null ? null : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    boolean json = media != null && media.endsWith("json") && body != null && !body.isEmpty();
    RequestParameter requestBody = json ? new RequestParameterImpl(Buffer.buffer(body)) : new RequestParameterImpl(null);
    if (!json && operation.getRequestBody() != null && operation.getRequestBody().isRequired()) {
      return; // form posts and uploads: their media types are what the document can say, checked by hand-written tests
    }
    var request = new ValidatableRequestImpl(Map.of(), Map.of(), pathParameters, query, requestBody,
        json ? "application/json" : null);
    try {
      requests.validate(request, operation.getOperationId()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("OpenAPI: " + operation.getOperationId() + " accepted " + method + " " + path
          + (rawQuery == null ? "" : "?" + rawQuery) + " but the document refuses that request: " + e.getMessage()
          + (json ? "\n" + body : ""), e);
    }
  }

  /** The query string as the validator wants it (decoded strings), every name documented for the operation. */
  private static Map<String, RequestParameter> queryOf(Operation operation, String rawQuery) {
    Map<String, RequestParameter> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) return query;
    Set<String> documented = operation.getParameters().stream()
        .filter(p -> p.getIn() == Location.QUERY).map(Parameter::getName).collect(Collectors.toSet());
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (!documented.contains(name)) {
        throw new AssertionError("OpenAPI: " + operation.getOperationId() + " accepted the query parameter '" + name
            + "', which the document does not list (documented: " + documented + ")");
      }
      query.put(name, new RequestParameterImpl(value));
    }
    return query;
  }

  /** The path's segments matched against the operation's template ("/v1/activations/{id}"). */
  private static Map<String, RequestParameter> pathParametersOf(Operation operation, String path) {
    List<String> template = List.of(operation.getOpenAPIPath().split("/"));
    List<String> actual = List.of(path.split("/"));
    Map<String, RequestParameter> parameters = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(template.size(), actual.size()); i++) {
      String segment = template.get(i);
      if (segment.startsWith("{") && segment.endsWith("}")) {
        parameters.put(segment.substring(1, segment.length() - 1),
            new RequestParameterImpl(URLDecoder.decode(actual.get(i), StandardCharsets.UTF_8)));
      }
    }
    return parameters;
  }
}
