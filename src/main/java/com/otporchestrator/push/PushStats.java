package com.otporchestrator.push;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one node's push channel, for tests and diagnostics. */
public final class PushStats {
  public final LongAdder noticesPublished = new LongAdder();
  public final LongAdder noticesReceived = new LongAdder();
  public final LongAdder subscriptions = new LongAdder();
  /** Change events sent because a pub/sub notice (or a coalesced one) prompted the re-read. */
  public final LongAdder eventsAfterNotice = new LongAdder();
  /** Change events sent because the slow fallback re-read found what no notice announced. */
  public final LongAdder eventsAfterFallback = new LongAdder();
}
