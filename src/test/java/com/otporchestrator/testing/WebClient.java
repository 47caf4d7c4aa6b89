package com.otporchestrator.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser, for console tests that need no JavaScript: keeps cookies, follows no redirect (a test
 * asserts it), posts forms, and reads the CSRF token a page rendered.
 */
public final class WebClient {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([A-Za-z0-9_-]+)\"");
  private final String baseUrl;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient client;

  public WebClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  public record Page(int status, String body, java.net.http.HttpHeaders headers) {
    public String location() {
      return headers.firstValue("Location").orElse(null);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The CSRF token the page put into its forms. */
    public String csrf() {
      Matcher m = CSRF.matcher(body);
      if (!m.find()) throw new AssertionError("no CSRF field in the page: " + body);
      return m.group(1);
    }
  }

  public Page get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  /** Posts {@code fields} as a form (in order); include "_csrf" yourself, or leave it out to test the refusal. */
  public Page post(String path, Map<String, String> fields) {
    String body = fields.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Posts a multipart form: {@code fields}, then one file. */
  public Page postFile(String path, Map<String, String> fields, String fileField, String fileName, String contentType,
                       byte[] bytes) {
    String boundary = "----otp" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    try {
      for (Map.Entry<String, String> e : fields.entrySet()) {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
            + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
          + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(bytes);
      body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  public static Map<String, String> form(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) map.put(keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }

  /** Logs in through the form with email and password; fails unless the console lets the customer in. */
  public void login(String email, String password) {
    String csrf = get("/app/login").csrf();
    Page page = post("/app/login", form("_csrf", csrf, "next", "/app", "email", email, "password", password));
    if (page.status() != 303 || !"/app".equals(page.location())) {
      throw new AssertionError("login refused: " + page.status() + " " + page.body());
    }
  }

  /** Logs in with an API key; fails unless the console lets the customer in. */
  public void loginWithKey(String apiKey) {
    String csrf = get("/app/login").csrf();
    Page page = post("/app/login", form("_csrf", csrf, "next", "/app", "apiKey", apiKey));
    if (page.status() != 303) throw new AssertionError("login refused: " + page.status() + " " + page.body());
  }

  /** The value of a cookie this client holds, or null. */
  public String cookie(String name) {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue).findFirst().orElse(null);
  }

  private Page send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Page(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
