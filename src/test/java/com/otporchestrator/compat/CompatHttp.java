package com.otporchestrator.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** Calls /stubs/handler_api.php the way sms-activate scripts do: a GET query, or a POST form. */
final class CompatHttp {
  static final String PATH = "/stubs/handler_api.php";

  private CompatHttp() {}

  /** {@code pairs} are name/value pairs; a null value leaves the parameter out. */
  static String encode(String... pairs) {
    StringJoiner query = new StringJoiner("&");
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i + 1] == null) continue;
      query.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return query.toString();
  }

  static Api.Response get(Api api, String... pairs) {
    return api.get(PATH + "?" + encode(pairs), null);
  }

  static Api.Response post(Api api, String... pairs) {
    return api.send("POST", PATH, null, "application/x-www-form-urlencoded", encode(pairs));
  }

  /** GETs and answers the body, asserting the protocol's HTTP 200. */
  static String getText(Api api, String... pairs) {
    Api.Response response = get(api, pairs);
    assertThat(response.status()).as("HTTP status of %s", response).isEqualTo(200);
    return response.body();
  }

  /** POSTs a form and answers the body, asserting HTTP 200. */
  static String postText(Api api, String... pairs) {
    Api.Response response = post(api, pairs);
    assertThat(response.status()).as("HTTP status of %s", response).isEqualTo(200);
    return response.body();
  }

  /** The same call over GET and over POST must answer the same; answers it. */
  static String both(Api api, String... pairs) {
    String viaGet = getText(api, pairs);
    String viaPost = postText(api, pairs);
    assertThat(viaPost).as("POST form answer of %s", String.join(",", pairs)).isEqualTo(viaGet);
    return viaGet;
  }
}
