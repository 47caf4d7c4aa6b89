package com.otporchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The shipped policy presets as text, and publishing a variant of one as a new version through the admin API. */
public final class Presets {
  private Presets() {}

  /** The YAML of {@code src/main/resources/policies/<name>.yaml}. */
  public static String text(String name) {
    try (InputStream in = Presets.class.getClassLoader().getResourceAsStream("policies/" + name + ".yaml")) {
      if (in == null) throw new IllegalArgumentException("no preset " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Publishes {@code yaml} (its version must be the next one) and puts its policy in force for new orders. */
  public static void publishInForce(Api api, String yaml) {
    Api.Response published = api.send("POST", "/admin/v1/policies", TestNode.ADMIN_TOKEN, "application/yaml", yaml);
    assertThat(published.status()).as("publish: %s", published).isEqualTo(201);
    putInForce(api, published.json().getString("policyId"));
  }

  /** Puts the newest version of {@code policyId} in force for new orders. */
  public static void putInForce(Api api, String policyId) {
    Api.Response inForce = api.put("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN, new JsonObject().put("policyId", policyId));
    assertThat(inForce.status()).as("in force: %s", inForce).isEqualTo(200);
  }
}
