package com.otporchestrator.sandbox;

import com.otporchestrator.account.ApiKeys;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.upstream.Countries;
import com.otporchestrator.upstream.ProviderRecord;
import java.util.List;

/** How a node configures the sandbox supplier it runs, and the supplier record that points at it. */
public final class SandboxSetup {
  public static final String PROVIDER_ID = "sandbox";
  static final List<String> SERVICES = List.of("tg", "wa", "go", "fb", "ig", "vk", "ok", "tw", "ds", "am", "mm", "oi", "lf", "dr", "ot");

  private SandboxSetup() {}

  public static SandboxSettings settings(AppConfig config) {
    SandboxSettings.Builder builder = SandboxSettings.builder()
        .host(config.sandbox().host())
        .port(config.sandbox().port())
        .key(config.sandbox().key())
        .pushUrl("http://127.0.0.1:" + config.httpPort() + "/providers/" + PROVIDER_ID + "/sms")
        .smsProbability(config.sandbox().smsProbability())
        .smsDelay(config.sandbox().smsDelay())
        .noNumbersRate(config.sandbox().noNumbersRate())
        .closesUnknown(config.sandbox().closesUnknown())
        .stock(java.util.Map.of());
    for (String country : Countries.smshubNames().values()) {
      for (String service : SERVICES) builder.stock(country, service, config.sandbox().stockPerService());
    }
    return builder.build();
  }

  /**
   * The supplier record other nodes use to reach this sandbox: its advertised URL when set (another
   * container must not be told 127.0.0.1), else the address it listens on.
   */
  public static ProviderRecord providerRecord(AppConfig config, String listeningUrl) {
    String agentUrl = config.sandbox().advertisedUrl() != null ? config.sandbox().advertisedUrl() : listeningUrl;
    return new ProviderRecord(PROVIDER_ID, ProviderRecord.SMSHUB, agentUrl, config.sandbox().key(),
        ApiKeys.hash(config.sandbox().key()), true, 1000);
  }
}
