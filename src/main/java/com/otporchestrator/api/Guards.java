package com.otporchestrator.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The handlers the HTTP front puts before every route of a prefix: {@code customers} then {@code rateLimit} before
 * {@code /v1/*}, {@code admins} before {@code /admin/v1/*}.
 */
public record Guards(Handler<RoutingContext> customers, Handler<RoutingContext> rateLimit,
                     Handler<RoutingContext> admins) {}
