package com.otporchestrator.api;

import com.otporchestrator.testing.Api;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests {@link Api} cannot express: any method, any headers (or none), any body bytes. */
final class RawHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RawHttp() {}

  /** An answer read off a raw socket: its status line, its head and its body (empty when the server sent nothing). */
  record Wire(String statusLine, String head, String body) {
    int status() {
      String[] parts = statusLine.split(" ");
      return parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : -1;
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    @Override
    public String toString() {
      return statusLine.isEmpty() ? "(no answer)" : head + "\n\n" + body;
    }
  }

  /**
   * Sends bytes no HTTP client would (a bad escape in the query, no Host, a broken chunk) on a fresh socket and reads
   * the answer until the server closes the connection or the body announced by Content-Length has arrived.
   */
  static Wire exchange(Api api, byte[] request) {
    URI base = URI.create(api.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(60_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      int n;
      try {
        while ((n = in.read(buffer)) >= 0) {
          answer.write(buffer, 0, n);
          if (complete(answer.toString(StandardCharsets.ISO_8859_1))) break;
        }
      } catch (SocketException | SocketTimeoutException e) {
        // a reset or a timeout after what was read: judged by what arrived
      }
      String text = answer.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) return new Wire("", text, "");
      String head = text.substring(0, end);
      return new Wire(head.split("\r\n", 2)[0], head, text.substring(end + 4));
    } catch (IOException e) {
      throw new AssertionError("raw exchange with " + base + " failed: " + e, e);
    }
  }

  /** The same, for text requests (\r\n written out by the caller). */
  static Wire exchange(Api api, String request) {
    return exchange(api, request.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) return false;
    Matcher length = CONTENT_LENGTH.matcher(text.substring(0, end));
    return length.find() && text.length() - end - 4 >= Integer.parseInt(length.group(1));
  }

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

  /** {@code headers} are name/value pairs; a null body sends none. */
  static Api.Response send(Api api, String method, String path, String body, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) builder.setHeader(headers[i], headers[i + 1]);
    HttpRequest request = builder.build();
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Api.Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new AssertionError("HTTP " + method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
