package com.otporchestrator.config;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The address blocks of the proxies in front of the service (load balancers, ingress controllers): only a request that
 * arrives from one of them may name its client in {@code X-Forwarded-For}. Empty by default: the peer is the client.
 * Addresses are parsed as literals only (never resolved).
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private record Block(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) return false;
      int full = prefix / 8;
      for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = 0xff << (8 - rest);
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /** {@code 10.0.0.0/8, 192.168.1.7, fd00::/8}: answers null when a part is not an address or a block. */
  public static TrustedProxies parse(String list) {
    List<Block> blocks = new ArrayList<>();
    for (String part : list.split(",")) {
      String cidr = part.strip();
      if (cidr.isEmpty()) continue;
      int slash = cidr.indexOf('/');
      byte[] network = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? cidr : cidr.substring(0, slash));
      if (network == null) return null;
      int prefix = network.length * 8;
      if (slash >= 0) {
        String bits = cidr.substring(slash + 1);
        if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > prefix) return null;
        prefix = Integer.parseInt(bits);
      }
      blocks.add(new Block(network, prefix));
    }
    return new TrustedProxies(blocks);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** Whether {@code address} (a literal: anything else is not trusted) is in one of the blocks. */
  public boolean contains(String address) {
    byte[] bytes = address == null ? null : NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) return false;
    for (Block block : blocks) if (block.contains(bytes)) return true;
    return false;
  }
}
