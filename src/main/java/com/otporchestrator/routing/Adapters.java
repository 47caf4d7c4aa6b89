package com.otporchestrator.routing;

import com.otporchestrator.upstream.ProviderRecord;
import com.otporchestrator.upstream.smsactivate.SmsActivateConfig;
import com.otporchestrator.upstream.smsactivate.SmsActivateProvider;
import com.otporchestrator.upstream.fivesim.FiveSimConfig;
import com.otporchestrator.upstream.fivesim.FiveSimProvider;
import com.otporchestrator.upstream.smshub.SmsHubConfig;
import com.otporchestrator.upstream.smshub.SmsHubProvider;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/** The protocol adapters we ship, chosen by a supplier's configured protocol. */
public final class Adapters {
  private Adapters() {}

  public static ProviderFactory standard(WebClient client, Duration timeout) {
    return record -> switch (record.protocol()) {
      case ProviderRecord.SMSHUB -> new SmsHubProvider(client,
          new SmsHubConfig(record.id(), record.baseUrl(), record.apiKey(), timeout));
      case ProviderRecord.SMS_ACTIVATE -> new SmsActivateProvider(client,
          new SmsActivateConfig(record.id(), record.baseUrl(), record.apiKey(), timeout));
      case ProviderRecord.FIVESIM -> new FiveSimProvider(client,
          new FiveSimConfig(record.id(), record.baseUrl(), record.apiKey(), timeout));
      default -> throw new IllegalArgumentException("unsupported protocol " + record.protocol());
    };
  }
}
