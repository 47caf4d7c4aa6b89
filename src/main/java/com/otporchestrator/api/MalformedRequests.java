package com.otporchestrator.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests that break HTTP itself, answered before Vert.x sees them: Vert.x would otherwise answer 500 (a missing
 * Host), 501 (an unknown HTTP version) or close the connection without a word (an invalid chunk size, a corrupt
 * gzip or deflate body). Each gets a 400 problem (a body announced but never sent: 408 after REQUEST_BODY_TIMEOUT_MS)
 * with {@code Connection: close}, and the connection closes once the answer is written: after a framing error no
 * later byte on it can be trusted. Nothing reaches a route, so nothing is written.
 *
 * <p>One handler per HTTP/1.x connection, placed just before Vert.x's own handler, so it sees requests after the
 * HTTP decoder and the decompressor. It keeps only what it needs to know whether an answer may still be sent: a
 * request is being received, and no answer has started.
 */
final class MalformedRequests extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(MalformedRequests.class);
  /** How long a request may take to send the body it announced once its head has arrived. */
  private final long bodyTimeoutMs;

  private boolean receiving;
  private boolean answering;
  private boolean rejected;
  private String path = "/";
  private ScheduledFuture<?> bodyTimer;

  private MalformedRequests(long bodyTimeoutMs) {
    this.bodyTimeoutMs = bodyTimeoutMs;
  }

  /** The connection handler that installs the guard on each new HTTP/1.x connection (HTTP/2 has no such framing). */
  static Handler<HttpConnection> installer(Duration bodyTimeout) {
    return connection -> {
      if (!(connection instanceof ConnectionBase base)) return;
      ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
      if (pipeline.get("handler") != null && pipeline.get(MalformedRequests.class) == null) {
        pipeline.addBefore("handler", "malformedRequests", new MalformedRequests(bodyTimeout.toMillis()));
      }
    };
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      path = pathOf(request.uri());
      String refusal = refusal(request);
      if (refusal != null) {
        ReferenceCountUtil.release(msg);
        reject(ctx, HttpResponseStatus.BAD_REQUEST, refusal);
        return;
      }
      receiving = !(msg instanceof LastHttpContent);
      if (receiving) startBodyTimer(ctx);
    }
    if (msg instanceof HttpContent content) {
      if (content.decoderResult().isFailure()) {
        String reason = content.decoderResult().cause().getMessage();
        ReferenceCountUtil.release(msg);
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "the request body's chunked framing is invalid: " + reason);
        return;
      }
      if (msg instanceof LastHttpContent) bodyReceived();
    }
    ctx.fireChannelRead(msg);
  }

  /** Why the request head cannot be served, or null. */
  private static String refusal(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return "the request is malformed: " + request.decoderResult().cause().getMessage();
    }
    HttpVersion version = request.protocolVersion();
    // by identity, as Vert.x compares them: "http/1.1" or "HTTP/01.1" parse as equal versions, and Vert.x answers 501
    if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
      return "HTTP version " + version.text() + " is not supported: use HTTP/1.1";
    }
    // HTTP/1.1 requires Host (RFC 9112, 3.2); HTTP/1.0 does not, and old health checkers send none
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (version.equals(HttpVersion.HTTP_1_1) && (hosts.isEmpty() || hosts.get(0).isBlank())) {
      return "the Host header is required";
    }
    if (hosts.size() > 1) return "send one Host header, not " + hosts.size();
    if (hosts.size() == 1 && !hosts.get(0).isBlank() && HostAndPort.parseAuthority(hosts.get(0).trim(), -1) == null) {
      return "the Host header is not a host[:port]";
    }
    if (!escapesWellFormed(rawPath(request.uri()))) return "the request path has a malformed %-escape";
    String coding = request.headers().get(HttpHeaderNames.TRANSFER_ENCODING);
    if (coding != null && !lastCoding(coding).equalsIgnoreCase("chunked")) {
      return "a Transfer-Encoding must end with chunked";
    }
    return null;
  }

  /** Every % followed by two hex digits (the router would throw on any other). */
  private static boolean escapesWellFormed(String path) {
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String lastCoding(String transferEncoding) {
    String[] codings = transferEncoding.split(",");
    return codings.length == 0 ? "" : codings[codings.length - 1].trim();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // the decompressor failing on a corrupt gzip or deflate body, while that body arrives and before any answer
    if (cause instanceof DecoderException && receiving && !answering && !rejected) {
      reject(ctx, HttpResponseStatus.BAD_REQUEST, "the request body cannot be decoded with its Content-Encoding: "
          + rootMessage(cause));
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse) answering = true;
    if (msg instanceof LastHttpContent) answering = false;
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelBodyTimer();
    ctx.fireChannelInactive();
  }

  private void startBodyTimer(ChannelHandlerContext ctx) {
    cancelBodyTimer();
    bodyTimer = ctx.executor().schedule(() -> {
      if (receiving && !answering && !rejected && ctx.channel().isActive()) {
        reject(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "the request body did not arrive within "
            + bodyTimeoutMs + " ms of its head");
      }
    }, bodyTimeoutMs, TimeUnit.MILLISECONDS);
  }

  private void bodyReceived() {
    receiving = false;
    cancelBodyTimer();
  }

  private void cancelBodyTimer() {
    if (bodyTimer != null) bodyTimer.cancel(false);
    bodyTimer = null;
  }

  private void reject(ChannelHandlerContext ctx, HttpResponseStatus status, String detail) {
    rejected = true;
    receiving = false;
    cancelBodyTimer();
    LOG.debug("refused a malformed request on {}: {} {}", path, status.code(), detail);
    String title = status.code() == 408 ? "The request timed out" : "The request is invalid";
    String type = status.code() == 408 ? "request-timeout" : "invalid-request";
    ByteBuf body = Unpooled.copiedBuffer(Problems.body(status.code(), type, title, detail, path).encode(),
        StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    answering = true;
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static String rawPath(String uri) {
    int query = uri == null ? -1 : uri.indexOf('?');
    return uri == null ? "" : query < 0 ? uri : uri.substring(0, query);
  }

  private static String pathOf(String uri) {
    if (uri == null || uri.isEmpty()) return "/";
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    return path.length() > 200 ? path.substring(0, 200) + "..." : path;
  }

  private static String rootMessage(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
