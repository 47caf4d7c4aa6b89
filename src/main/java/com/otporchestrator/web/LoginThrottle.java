package com.otporchestrator.web;

import com.otporchestrator.store.LuaScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds password guessing on the consoles' login forms, before any password is verified (a verification costs a
 * memory-hard hash: the bound protects the CPU as much as the accounts). Every attempt takes a token from two buckets
 * in Redis (the rate limiter's script, on Redis's clock, shared by every node): one per login name (10, refilled over
 * 15 minutes; a successful login refills it) and one per client address (100, refilled over 15 minutes, whatever the
 * outcome: one valid account must not buy an address more guesses). An empty bucket answers how long to wait. If
 * Redis cannot answer, the attempt is allowed and logged, as with the API's rate limits: locking everyone out during a
 * Redis failover would be the worse outage, and the hash still costs a guesser its time.
 */
public final class LoginThrottle {
  private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
  static final int PER_LOGIN = 10;
  static final int PER_ADDRESS = 100;
  static final double REFILL_SECONDS = 900;

  private final Redis redis;
  private final LuaScript bucket;
  private final String prefix;

  public LoginThrottle(Redis redis, LuaScript bucket, String prefix) {
    this.redis = redis;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /**
   * Takes one attempt for {@code login} (an email; null for an API-key login, bounded by address only) from
   * {@code address} on the console {@code area}. Answers 0 when the attempt may go on, else the milliseconds to wait.
   */
  public Future<Long> take(String area, String login, String address) {
    Future<Long> byAddress = address == null ? Future.succeededFuture(0L)
        : take(prefix + "login:{" + area + ":ip:" + address + "}", PER_ADDRESS);
    Future<Long> byLogin = login == null ? Future.succeededFuture(0L)
        : take(loginKey(area, login), PER_LOGIN);
    return Future.all(byAddress, byLogin).map(both -> Math.max(byAddress.result(), byLogin.result()));
  }

  /** A successful login of {@code login} on {@code area}: its own bucket is full again. */
  public void succeeded(String area, String login) {
    if (login == null) return;
    redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL).arg(loginKey(area, login)))
        .onFailure(error -> LOG.debug("login bucket not reset: {}", error.toString()));
  }

  private String loginKey(String area, String login) {
    return prefix + "login:{" + area + ":" + digest(login.strip().toLowerCase(Locale.ROOT)) + "}";
  }

  private Future<Long> take(String key, int burst) {
    return bucket.run(redis, List.of(key), List.of(String.valueOf(burst / REFILL_SECONDS), String.valueOf(burst), "1"))
        .map(reply -> reply.get(0).toInteger() == 1 ? 0L : Math.max(1L, reply.get(2).toLong()))
        .recover(error -> {
          LOG.warn("login attempt not throttled (allowed): {}", error.toString());
          return Future.succeededFuture(0L);
        });
  }

  /** Login names are not written to Redis as they are. */
  private static String digest(String login) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(login.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The page's words for a wait of {@code millis}. */
  public static String tooMany(long millis) {
    long minutes = Math.max(1, (millis + 59_999) / 60_000);
    return "Too many login attempts. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes.");
  }
}
