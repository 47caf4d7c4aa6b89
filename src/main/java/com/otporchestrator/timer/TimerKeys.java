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

  public int shardOf(long id) {
    return Math.floorMod(Long.hashCode(id * 0x9E3779B97F4A7C15L), shards);
  }

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
