package com.otporchestrator.upstream;

/** A configured supplier as stored in PostgreSQL. */
public record ProviderRecord(String id, String protocol, String baseUrl, String apiKey, byte[] pushKeyHash,
                             boolean enabled, int priority) {
  public static final String SMSHUB = "smshub";
  public static final String SMS_ACTIVATE = "sms-activate";
  public static final String FIVESIM = "fivesim";

  /** True for protocols whose SMS we must poll for (the SQL of polls lists the same ones). */
  public static boolean polled(String protocol) {
    return SMS_ACTIVATE.equals(protocol) || FIVESIM.equals(protocol);
  }
}
