package com.otporchestrator.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A streaming client of server-sent events for tests, on its own Vert.x instance: reads the body
 * line by line as it arrives, parses events and comments, and waits for them with bounded
 * timeouts. {@link #close} closes the TCP connection, as a browser leaving the page would.
 */
public final class EventStream implements AutoCloseable {
  private static final Vertx VERTX = Vertx.vertx();
  private static final HttpClient CLIENT = VERTX.createHttpClient(new HttpClientOptions().setKeepAlive(false)
      .setConnectTimeout(5_000), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(200));
  private static final Object END = new Object();

  /** One event: its name, id and data. */
  public record Event(String name, String id, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }

    public String state() {
      return json().getString("state");
    }
  }

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final HttpClientResponse response;
  private volatile boolean ended;

  private EventStream(HttpClientResponse response) {
    this.response = response;
  }

  public static EventStream open(Api api, String path, String bearer) {
    URI base = URI.create(api.baseUrl());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost())
        .setPort(base.getPort()).setURI(path).putHeader("Accept", "text/event-stream");
    if (bearer != null) options.putHeader("Authorization", "Bearer " + bearer);
    try {
      return CLIENT.request(options).compose(request -> request.send()).map(response -> {
        response.pause();
        EventStream stream = new EventStream(response);
        Lines lines = stream.new Lines();
        response.handler(buffer -> lines.onChunk(buffer.toString()));
        response.exceptionHandler(e -> lines.finish());
        response.endHandler(v -> lines.finish());
        response.resume();
        return stream;
      }).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no response headers for " + path + ": " + e, e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.getHeader(name);
  }

  /** The whole body, once the server ended it (for problem responses). */
  public JsonObject bodyJson() {
    awaitEnd(Duration.ofSeconds(10));
    return new JsonObject(String.join("\n", lines));
  }

  /** The next event, or an assertion failure after {@code timeout} or when the stream ended first. */
  public Event next(Duration timeout) {
    try {
      Object item = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (item == null) throw new AssertionError("no event within " + timeout + "; comments so far " + comments);
      if (item == END) {
        events.add(END);
        throw new AssertionError("the stream ended instead of sending an event");
      }
      return (Event) item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until the server ended the stream; an assertion failure when an event comes first or time runs out. */
  public void awaitEnd(Duration timeout) {
    try {
      Object item = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (item == null) throw new AssertionError("the stream did not end within " + timeout);
      if (item != END) throw new AssertionError("expected the end of the stream, got " + item);
      events.add(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public boolean ended() {
    return ended;
  }

  public List<String> comments() {
    return new ArrayList<>(comments);
  }

  /** Disconnects, as a browser leaving the page would. */
  @Override
  public void close() {
    if (!ended) response.request().connection().close();
  }

  /** Parses the text/event-stream format line by line. */
  private final class Lines {
    private String name;
    private String id;
    private StringBuilder data;
    private final StringBuilder pending = new StringBuilder();

    void onChunk(String text) {
      pending.append(text);
      int newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        String line = pending.substring(0, newline);
        pending.delete(0, newline + 1);
        onLine(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      }
    }

    private void onLine(String line) {
      lines.add(line);
      if (line.isEmpty()) {
        if (data != null) events.add(new Event(name == null ? "message" : name, id, data.toString()));
        name = null;
        data = null;
      } else if (line.startsWith(":")) {
        comments.add(line.substring(1).trim());
      } else {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
        switch (field) {
          case "event" -> name = value;
          case "id" -> id = value;
          case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> { }
        }
      }
    }

    void finish() {
      if (ended) return;
      if (!pending.isEmpty()) lines.add(pending.toString());
      ended = true;
      events.add(END);
    }
  }
}
