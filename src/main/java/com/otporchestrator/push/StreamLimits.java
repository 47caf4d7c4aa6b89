package com.otporchestrator.push;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** Counts the open event streams of this node, in total and per account, and refuses any beyond the caps. */
public final class StreamLimits {
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<Long, Integer> perAccount = new ConcurrentHashMap<>();
  private final IntSupplier maxPerNode;
  private final IntSupplier maxPerAccount;

  StreamLimits(IntSupplier maxPerNode, IntSupplier maxPerAccount) {
    this.maxPerNode = maxPerNode;
    this.maxPerAccount = maxPerAccount;
  }

  /** Why a stream was refused; null when it was admitted and must be {@link #release}d once. */
  public String tryAcquire(long accountId) {
    if (open.incrementAndGet() > maxPerNode.getAsInt()) {
      open.decrementAndGet();
      return "this server holds its maximum of " + maxPerNode.getAsInt() + " event streams; retry shortly or poll";
    }
    boolean[] admitted = {false};
    perAccount.compute(accountId, (id, count) -> {
      int now = count == null ? 0 : count;
      if (now >= maxPerAccount.getAsInt()) return count;
      admitted[0] = true;
      return now + 1;
    });
    if (admitted[0]) return null;
    open.decrementAndGet();
    return "this account already has " + maxPerAccount.getAsInt() + " event streams open on this server";
  }

  public void release(long accountId) {
    perAccount.computeIfPresent(accountId, (id, count) -> count <= 1 ? null : count - 1);
    open.decrementAndGet();
  }

  /** Streams open on this node right now. */
  public int open() {
    return open.get();
  }
}
