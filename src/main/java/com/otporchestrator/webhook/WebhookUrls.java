package com.otporchestrator.webhook;

import com.otporchestrator.common.DomainException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Strict checks of a customer's webhook URL: absolute http(s), a host, no credentials or fragment,
 * at most {@link #MAX_LENGTH} characters. Unless private targets are allowed (dev, tests), a host
 * written as a loopback, private, link-local or unspecified IP address, or "localhost", is refused.
 * Host names are not resolved here (no blocking DNS on the event loop).
 */
public final class WebhookUrls {
  public static final int MAX_LENGTH = 2048;

  private final boolean allowPrivate;

  public WebhookUrls(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** The URL, unchanged, or a 400 problem naming {@code field} and what is wrong. */
  public String validate(String field, String url) {
    if (url.length() > MAX_LENGTH) throw invalid(field, "is longer than " + MAX_LENGTH + " characters");
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c == 0x7f) throw invalid(field, "must not contain spaces or control characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid(field, "is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) throw invalid(field, "must be an http:// or https:// URL");
    if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw invalid(field, "must name a host");
    }
    if (uri.getRawUserInfo() != null) throw invalid(field, "must not carry a user name or password");
    if (uri.getRawFragment() != null) throw invalid(field, "must not have a #fragment");
    if (uri.getPort() == 0 || uri.getPort() > 65535) throw invalid(field, "has an invalid port");
    if (!allowPrivate && isPrivateHost(uri.getHost())) {
      throw invalid(field, "must point to a public host, not a loopback or private address");
    }
    return url;
  }

  private static boolean isPrivateHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) return true;
    boolean ipv6 = h.startsWith("[") && h.endsWith("]");
    boolean ipv4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (ipv4) {
      for (String octet : h.split("\\.")) if (Integer.parseInt(octet) > 255) return true;
    }
    if (!ipv4 && !ipv6) return false;
    try {
      // A well-formed literal address: parsed without any DNS lookup.
      InetAddress address = InetAddress.getByName(ipv6 ? h.substring(1, h.length() - 1) : h);
      return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
          || address.isAnyLocalAddress() || address.isMulticastAddress()
          || (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc) // fc00::/7
          || (address instanceof Inet4Address && (address.getAddress()[0] & 0xff) == 100
              && (address.getAddress()[1] & 0xc0) == 64); // 100.64.0.0/10
    } catch (UnknownHostException e) {
      return true;
    }
  }

  private static DomainException invalid(String field, String what) {
    return DomainException.invalid("'" + field + "' " + what);
  }
}
