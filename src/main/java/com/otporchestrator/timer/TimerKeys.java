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

  public String due(int shard) {
    return key(shard, "due");
  }

  public String leases(int shard) {
    return key(shard, "leases");
  }

  public String claims(int shard) {
    return key(shard, "claims");
  }

  public List<String> claimKeys(int shard) {
    return List.of(due(shard), leases(shard), claims(shard));
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
