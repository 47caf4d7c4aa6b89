package com.otporchestrator.ratelimit;

import com.otporchestrator.store.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-account token buckets in Redis, one script call per decision, so every pod shares one budget
 * per account and a noisy account only ever spends its own. Plans are cached for a few seconds.
 * If Redis cannot answer, the request is allowed: rate limiting protects capacity, it never
 * guards money, and refusing everyone during a Redis failover would be the worse outage.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final long PLAN_TTL_MILLIS = 10_000;

  private final Redis redis;
  private final LuaScript script;
  private final PlanRepository plans;
  private final String prefix;
  private final ConcurrentHashMap<Long, CachedPlan> cache = new ConcurrentHashMap<>();

  private record CachedPlan(PlanRepository.Plan plan, long until) {}

  public RateLimiter(Redis redis, LuaScript script, PlanRepository plans, String prefix) {
    this.redis = redis;
    this.script = script;
    this.plans = plans;
    this.prefix = prefix;
  }

  public Future<Decision> take(long accountId) {
    return planOf(accountId).compose(plan -> {
      if (plan == null) return Future.succeededFuture(Decision.unlimited(0));
      return script.run(redis, List.of(prefix + "rl:{" + accountId + "}"),
              List.of(String.valueOf(plan.requestsPerSecond()), String.valueOf(plan.burst()), "1"))
          .map(reply -> decision(plan, reply))
          .recover(error -> {
            LOG.warn("rate limit not checked for account {} (allowed): {}", accountId, error.toString());
            return Future.succeededFuture(Decision.unlimited(plan.burst()));
          });
    });
  }

  private Future<PlanRepository.Plan> planOf(long accountId) {
    long now = System.currentTimeMillis();
    CachedPlan cached = cache.get(accountId);
    if (cached != null && cached.until() > now) return Future.succeededFuture(cached.plan());
    return plans.planOf(accountId).onSuccess(plan -> {
      if (cache.size() > 100_000) cache.clear();
      if (plan != null) cache.put(accountId, new CachedPlan(plan, now + PLAN_TTL_MILLIS));
    });
  }

  private static Decision decision(PlanRepository.Plan plan, Response reply) {
    return new Decision(reply.get(0).toInteger() == 1, plan.burst(), reply.get(1).toLong(), reply.get(2).toLong(),
        reply.get(3).toLong(), plan.requestsPerSecond());
  }
}
