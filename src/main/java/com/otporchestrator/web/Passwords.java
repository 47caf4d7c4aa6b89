package com.otporchestrator.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing for console logins (customers' and operators'): Argon2id, memory-hard, stored as a PHC string
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) so the parameters travel with each hash and can be raised later
 * without invalidating old ones. The parameters are OWASP's first Argon2id recommendation (19 MiB, 2 passes, 1 lane).
 *
 * <p>Hashing takes tens of milliseconds of CPU and 19 MiB of memory on purpose: call these methods off the event loop
 * (a worker thread, {@code vertx.executeBlocking}).
 */
public final class Passwords {
  static final int MEMORY_KIB = 19_456;
  static final int ITERATIONS = 2;
  static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  public static final int MIN_LENGTH = 10;
  public static final int MAX_LENGTH = 200;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  /** Verified against when no account matches, so an unknown login costs as much time as a wrong password. */
  private static final class Dummy {
    static final String HASH = hash("no such login, constant work");
  }

  private Passwords() {}

  /** A new PHC string for {@code password}, with a fresh random salt (blocking). */
  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
        + "$" + B64.encodeToString(out);
  }

  /**
   * Whether {@code password} matches {@code stored} (a PHC string made by {@link #hash}); false for a malformed one.
   * A null {@code stored} (no such login) is checked against a dummy hash, so it takes as long as a real check.
   */
  public static boolean verify(String password, String stored) {
    if (password == null) return false;
    boolean known = stored != null;
    String phc = known ? stored : Dummy.HASH;
    String[] parts = phc.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) return false;
    try {
      int m = 0, t = 0, p = 0;
      for (String kv : parts[3].split(",")) {
        String[] pair = kv.split("=", 2);
        int value = Integer.parseInt(pair[1]);
        switch (pair[0]) {
          case "m" -> m = value;
          case "t" -> t = value;
          case "p" -> p = value;
          default -> { return false; }
        }
      }
      byte[] salt = B64D.decode(parts[4]);
      byte[] expected = B64D.decode(parts[5]);
      if (m < 8 || t < 1 || p < 1 || expected.length < 16) return false;
      byte[] actual = derive(password, salt, m, t, p, expected.length);
      return MessageDigest.isEqual(actual, expected) && known;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Why {@code password} is not acceptable as a new password, or null when it is. */
  public static String weakness(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return "the password must have at least " + MIN_LENGTH + " characters";
    }
    if (password.length() > MAX_LENGTH) return "the password must have at most " + MAX_LENGTH + " characters";
    return null;
  }

  private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
