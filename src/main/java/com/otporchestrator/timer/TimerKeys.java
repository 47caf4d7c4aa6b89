package com.otporchestrator.timer;

import java.util.List;

/**
 * Redis keys of the timer shards. Every key of a shard carries the hash tag {NN}, so one script
 * touches one slot and the engine works unchanged on Redis Cluster.
 */
public final class TimerKeys {
  private final String prefix;
  private final int shards;

  public TimerKeys(String prefix, int shards) {
    this.prefix = prefix;
    this.shards = shards;
  }

  public int shards() {
    return shards;
  }

  /**
   * Ids go to shards in runs of {@code 2^RUN_BITS} consecutive ids (64), each run to a hashed shard. Orders bought
   * together have neighbouring ids and fall due together, so a claimed batch is made of such runs, and PostgreSQL
   * resolves it touching a few heap and index pages per run instead of one per order (an id-by-id hash made every
   * order of a 2,000-timer batch a page of its own). A timer placed under an earlier function stays where it was and
   * still fires; one re-scheduled lands in its new shard and its old entry, if any, fires once for nothing (delivery is
   * at least once and handlers are guarded), so the function may change under a running deployment.
   */
  public int shardOf(long id) {
    return Math.floorMod(Long.hashCode((id >> RUN_BITS) * 0x9E3779B97F4A7C15L), shards);
  }

  static final int RUN_BITS = 6;

  /** The internal lane's due set of a shard. */
  public String due(int shard) {
    return due(TimerLane.INTERNAL, shard);
  }

  public String leases(int shard) {
    return leases(TimerLane.INTERNAL, shard);
  }

  public String claims(int shard) {
    return claims(TimerLane.INTERNAL, shard);
  }

  public String due(TimerLane lane, int shard) {
    return key(shard, lane.keyInfix() + "due");
  }

  public String leases(TimerLane lane, int shard) {
    return key(shard, lane.keyInfix() + "leases");
  }

  public String claims(TimerLane lane, int shard) {
    return key(shard, lane.keyInfix() + "claims");
  }

  /** The keys the claim script takes: the lane's due set, leases and claims, and the shard's seeded marker. */
  public List<String> claimKeys(TimerLane lane, int shard) {
    return List.of(due(lane, shard), leases(lane, shard), claims(lane, shard), seededMarker(shard));
  }

  public List<String> claimKeys(int shard) {
    return claimKeys(TimerLane.INTERNAL, shard);
  }

  /** The keys the reap and settle scripts take: the lane's due set, leases and claims. */
  List<String> leaseKeys(TimerLane lane, int shard) {
    return List.of(due(lane, shard), leases(lane, shard), claims(lane, shard));
  }

  /** The pub/sub channel on which a node tells the engines of every node that a timer falls due soon. */
  public String wakeChannel() {
    return prefix + "timer:wake";
  }

  /**
   * Present while Redis holds this shard's part of the timer index; its absence means Redis lost
   * data and PostgreSQL must re-seed it. One marker per shard, in the shard's slot: on a cluster a
   * single master can lose its data alone, and only a marker stored beside the lost keys vanishes
   * with them.
   */
  public String seededMarker(int shard) {
    return key(shard, "seeded");
  }

  private String key(int shard, String name) {
    return prefix + "timer:{" + shard + "}:" + name;
  }
}
