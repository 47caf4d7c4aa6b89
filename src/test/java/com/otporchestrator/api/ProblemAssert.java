package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import io.vertx.core.json.JsonObject;

/** Checks that a response is an RFC 9457 problem with the given status and a precise detail. */
final class ProblemAssert {
  private ProblemAssert() {}

  static JsonObject assertProblem(Api.Response response, int status, String detailPart) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    assertThat(response.contentType()).as("Content-Type of %s", response).startsWith("application/problem+json");
    JsonObject problem = response.json();
    assertThat(problem.getInteger("status")).as("problem status of %s", response).isEqualTo(status);
    assertThat(problem.getString("type")).as("problem type of %s", response)
        .startsWith("https://otp-orchestrator.dev/problems/");
    assertThat(problem.getString("title")).as("problem title of %s", response).isNotBlank();
    assertThat(problem.getString("detail")).as("problem detail of %s", response).contains(detailPart);
    return problem;
  }

  static JsonObject assertUnauthorized(Api.Response response, String detailPart) {
    JsonObject problem = assertProblem(response, 401, detailPart);
    assertThat(response.header("WWW-Authenticate")).as("WWW-Authenticate of %s", response).isEqualTo("Bearer");
    assertThat(problem.getString("type")).endsWith("/unauthorized");
    return problem;
  }
}
