package com.otporchestrator.timer;

import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The timers one claim script call leased on one shard: due timers moved under a lease id, to be
 * applied and acknowledged (or re-queued by the reaper once the lease expires). Empty when nothing
 * was due; then {@link #nextDue} says when the earliest timer of the shard falls due.
 */
record LeasedBatch(TimerLane lane, int shard, String leaseId, List<Timer> timers, long redisNow, long nextDue,
                   boolean seeded) {

  boolean empty() {
    return leaseId.isEmpty();
  }

  static LeasedBatch from(TimerLane lane, int shard, Response response) {
    String leaseId = response.get(0).toString();
    long now = Long.parseLong(response.get(2).toString());
    boolean seeded = response.size() < 4 || response.get(3).toInteger() != 0;
    if (leaseId.isEmpty()) {
      long next = (long) Double.parseDouble(response.get(1).toString());
      return new LeasedBatch(lane, shard, "", List.of(), now, next, seeded);
    }
    Response flat = response.get(1);
    List<Timer> timers = new ArrayList<>(flat.size() / 2);
    for (int i = 0; i < flat.size(); i += 2) {
      timers.add(Timer.parse(flat.get(i).toString(), (long) Double.parseDouble(flat.get(i + 1).toString())));
    }
    return new LeasedBatch(lane, shard, leaseId, timers, now, -1, seeded);
  }
}
