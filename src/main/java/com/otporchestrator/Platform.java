package com.otporchestrator;

import com.otporchestrator.account.AccountRepository;
import com.otporchestrator.activation.ActivationRepository;
import com.otporchestrator.activation.ActivationService;
import com.otporchestrator.activation.ActivationTimers;
import com.otporchestrator.activation.OrderEvents;
import com.otporchestrator.activation.PurchaseService;
import com.otporchestrator.activation.SmsDelivery;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.timer.TimerStats;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.routing.ProviderRepository;
import com.otporchestrator.wallet.Invariants;
import com.otporchestrator.wallet.WalletRepository;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;

/** The services of one process, built once and shared by its verticles. */
public record Platform(
    AppConfig config,
    Pool pool,
    Redis redis,
    AccountRepository accounts,
    WalletRepository wallets,
    CatalogRepository catalog,
    ProviderRepository providerRepository,
    ProviderRegistry providers,
    Invariants invariants,
    ActivationRepository activationRepository,
    ActivationTimers activationTimers,
    SmsDelivery smsDelivery,
    PurchaseService purchases,
    com.otporchestrator.activation.BatchPurchase batchPurchases,
    com.otporchestrator.activation.HoldCoalescer holds,
    ActivationService activations,
    TimerService timers,
    TimerStats timerStats,
    OrderEvents orderEvents,
    com.otporchestrator.ratelimit.PlanRepository plans,
    com.otporchestrator.ratelimit.RateLimiter rateLimiter,
    /** Published refund policy versions and the one in force. */
    com.otporchestrator.policy.Policies policies,
    /** The simulated supplier in dev mode and tests; null in production. */
    com.otporchestrator.sandbox.SandboxSupplier sandbox,
    /** This process's metrics registry and meters. */
    com.otporchestrator.metrics.NodeMetrics metrics,
    /** Rentals: purchase, lifecycle, SMS and incidents. */
    com.otporchestrator.rental.RentalService rentals) {}
