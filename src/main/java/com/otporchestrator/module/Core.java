package com.otporchestrator.module;

import com.otporchestrator.config.AppConfig;
import com.otporchestrator.metrics.NodeMetrics;
import com.otporchestrator.timer.TimerModule;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

/**
 * The infrastructure of one process that every feature module is built on: its settings, its Vert.x,
 * the PostgreSQL pool, the Redis client, the timer service and the metrics registry. Built once by
 * the node; features are never found here, only in their own modules.
 */
public record Core(AppConfig config, Vertx vertx, Pool pool, Redis redis, TimerModule timers, NodeMetrics metrics) {}
