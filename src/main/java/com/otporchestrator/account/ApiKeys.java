package com.otporchestrator.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Generates API keys and the SHA-256 digests we store instead of them. */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** 32 hex characters (128 bits), the length of an sms-activate key, so bulk scripts accept it. */
  public static String generate() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The first 8 characters, kept beside the hash so operators can find an account by what a customer reads out. */
  public static String prefix(String key) {
    return key.length() < 8 ? null : key.substring(0, 8);
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
