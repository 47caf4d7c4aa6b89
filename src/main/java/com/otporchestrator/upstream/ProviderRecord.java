package com.otporchestrator.upstream;

/** A configured supplier as stored in PostgreSQL. */
public record ProviderRecord(String id, String protocol, String baseUrl, String apiKey, byte[] pushKeyHash,
                             boolean enabled, int priority) {
  public static final String SMSHUB = "smshub";
  public static final String SMS_ACTIVATE = "sms-activate";
}
