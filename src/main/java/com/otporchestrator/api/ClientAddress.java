package com.otporchestrator.api;

import com.otporchestrator.config.TrustedProxies;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The address of the client behind a request, resolved once per request: the peer, unless the peer is a trusted proxy
 * ({@code TRUSTED_PROXIES}); then the nearest {@code X-Forwarded-For} hop that is not itself a trusted proxy. A client
 * cannot name another address by sending the header itself: only hops added by trusted proxies are believed. Always an
 * address literal in canonical form (it ends up in Redis keys and evidence), or null when there is none.
 */
public final class ClientAddress {
  private static final String KEY = "clientAddress";

  private ClientAddress() {}

  /** Resolves the request's client address for the handlers after it. */
  static void resolve(RoutingContext ctx, TrustedProxies trusted) {
    String address = of(ctx.request(), trusted);
    if (address != null) ctx.put(KEY, address);
  }

  /** The client address of this request (resolved by the router), or null. */
  public static String of(RoutingContext ctx) {
    String resolved = ctx.get(KEY);
    return resolved != null ? resolved : peer(ctx.request());
  }

  static String of(HttpServerRequest request, TrustedProxies trusted) {
    String peer = peer(request);
    if (peer == null || trusted.isEmpty() || !trusted.contains(peer)) return peer;
    List<String> hops = new ArrayList<>();
    for (String header : request.headers().getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) hops.add(hop.strip());
    }
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = canonical(hops.get(i));
      if (hop == null) break; // a hop no proxy of ours wrote: believe nothing before it
      client = hop;
      if (!trusted.contains(hop)) break;
    }
    return client;
  }

  private static String peer(HttpServerRequest request) {
    SocketAddress remote = request.remoteAddress();
    return remote == null || remote.hostAddress() == null ? null : canonical(remote.hostAddress());
  }

  private static String canonical(String literal) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    return bytes == null ? null : NetUtil.bytesToIpAddress(bytes);
  }
}
