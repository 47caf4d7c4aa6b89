package com.otporchestrator.activation;

import com.otporchestrator.order.Channel;
import java.time.OffsetDateTime;
import java.util.List;

/** An activation as its owner sees it, with every SMS it received. */
public record Activation(long id, long accountId, String service, int country, String providerId, long price,
                         ActivationState state, String phone, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                         OffsetDateTime cancellableAt, OffsetDateTime closedAt, String closeReason,
                         String webhookUrl, PolicyRef policy, boolean refundHeld, Channel channel,
                         List<ReceivedSms> sms) {

  /** The refund policy version the order was bought under; null only for orders older than policies. */
  public record PolicyRef(String id, int version) {}

  public record ReceivedSms(String sender, String text, String code, String receivedAt) {}

  /** The most recent code, if any SMS carried one. */
  public String lastCode() {
    for (int i = sms.size() - 1; i >= 0; i--) {
      if (sms.get(i).code() != null) return sms.get(i).code();
    }
    return null;
  }
}
