package com.otporchestrator.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking Redis connection speaking RESP over a plain socket, for the harness's clean-up outside any Vert.x
 * instance: {@link #deleteKeys} removes a test class's keys when its stores close. Standalone Redis only.
 */
final class RespClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespClient(String redisUrl) throws IOException {
    URI uri = URI.create(redisUrl);
    socket = new Socket();
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2_000);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      String[] parts = userInfo.split(":", 2);
      String password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
      if (parts[0].isEmpty()) call("AUTH", password);
      else call("AUTH", URLDecoder.decode(parts[0], StandardCharsets.UTF_8), password);
    }
  }

  static RespClient connect(String redisUrl) throws IOException {
    return new RespClient(redisUrl);
  }

  /** Deletes every key under {@code prefix} with SCAN MATCH + UNLINK; answers how many were deleted. */
  static long deleteKeys(String redisUrl, String prefix) {
    if (prefix == null || prefix.isEmpty()) throw new IllegalArgumentException("refusing to delete every key");
    try (RespClient redis = new RespClient(redisUrl)) {
      long deleted = 0;
      String cursor = "0";
      do {
        List<?> page = (List<?>) redis.call("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000");
        cursor = (String) page.get(0);
        List<?> keys = (List<?>) page.get(1);
        if (!keys.isEmpty()) {
          List<String> unlink = new ArrayList<>();
          unlink.add("UNLINK");
          keys.forEach(key -> unlink.add((String) key));
          deleted += (Long) redis.call(unlink.toArray(String[]::new));
        }
      } while (!"0".equals(cursor));
      return deleted;
    } catch (IOException e) {
      throw new IllegalStateException("cannot delete the Redis keys under " + prefix + ": " + e.getMessage(), e);
    }
  }

  Object call(String... args) throws IOException {
    StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
    }
    out.write(request.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return read();
  }

  /** One reply: simple string, error (thrown), integer, bulk string (null when absent) or array. */
  private Object read() throws IOException {
    int type = in.read();
    String line = line();
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new IOException("Redis answered " + line);
      case ':' -> Long.parseLong(line);
      case '$' -> bulk(Integer.parseInt(line));
      case '*' -> {
        int count = Integer.parseInt(line);
        List<Object> items = new ArrayList<>(Math.max(count, 0));
        for (int i = 0; i < count; i++) items.add(read());
        yield items;
      }
      default -> throw new IOException("unexpected Redis reply type " + type);
    };
  }

  private String bulk(int length) throws IOException {
    if (length < 0) return null;
    byte[] bytes = in.readNBytes(length);
    line(); // the CRLF after the bytes
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\r'; c = in.read()) {
      if (c < 0) throw new IOException("Redis closed the connection");
      line.append((char) c);
    }
    in.read(); // '\n'
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
