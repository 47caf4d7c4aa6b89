package com.otporchestrator.rental;

import com.otporchestrator.order.Channel;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A rental as its owner sees it, with its extensions and every SMS it received. {@code service} is null for a rental
 * that receives SMS from any service (the protocol's "full").
 */
public record Rental(long id, long accountId, String service, int country, String providerId, int hours, long hourlyPrice,
                     long price, RentalState state, String phone, OffsetDateTime createdAt, OffsetDateTime startsAt,
                     OffsetDateTime endsAt, OffsetDateTime cancelUntil, OffsetDateTime closedAt, String closeReason,
                     String webhookUrl, PolicyRef policy, String providerRentalId, Channel channel, String refundEvent,
                     List<Extension> extensions, List<ReceivedSms> sms) {

  public static final String ANY_SERVICE = "full";

  public record PolicyRef(String id, int version) {}

  public record Extension(long id, int hours, long price, String createdAt) {}

  public record ReceivedSms(String sender, String text, String code, String receivedAt) {}

  /** What the customer paid in all: the purchase and every extension. */
  public long totalPrice() {
    return price + extensions.stream().mapToLong(Extension::price).sum();
  }

  /** The service code as the protocol writes it: "full" for any service. */
  public String serviceCode() {
    return service == null ? ANY_SERVICE : service;
  }
}
