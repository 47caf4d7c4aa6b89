package com.otporchestrator.upstream.smshub;

import com.otporchestrator.upstream.IncomingSms;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * A PUSH_SMS an agent sent us: {@code {"smsId":1,"phoneFrom":"Vk","phone":79281234567,"text":"...",
 * "action":"PUSH_SMS","key":"..."}}. {@code smsId} is null when the agent left it out; {@code phone}
 * is digits with the country code; {@code phoneFrom} is the sender and may be null.
 *
 * <p>Parsing is tolerant where agents are known to be sloppy (numbers sent as strings, a "+" on the
 * phone) and strict about what we cannot do without (the action, the phone, the text). Checking the
 * {@code key} is the route's job, see {@link #keyMatches}.
 */
public record PushSms(Long smsId, String phone, String phoneFrom, String text) {
  public static final String ACTION = "PUSH_SMS";
  private static final int MIN_PHONE_DIGITS = 7;
  private static final int MAX_PHONE_DIGITS = 15;

  /** Either the SMS or why the body is not a usable PUSH_SMS. */
  public sealed interface Parsed {
    record Valid(PushSms sms) implements Parsed {}

    record Invalid(String error) implements Parsed {}
  }

  public static Parsed parse(JsonObject body) {
    if (body == null) return invalid("body is not a JSON object");
    Object action = body.getValue("action");
    if (!ACTION.equals(action)) return invalid("action must be PUSH_SMS, got " + describe(action));

    Object text = body.getValue("text");
    if (text == null) return invalid("text is missing");
    if (!(text instanceof String rawText)) return invalid("text must be a string, got " + describe(text));
    String textString = IncomingSms.withoutNul(rawText); // stored cleaned: see IncomingSms
    if (textString.isEmpty()) return invalid("text is empty");

    Object rawPhone = body.getValue("phone");
    if (rawPhone == null) return invalid("phone is missing");
    String phone = WireNumbers.integerDigits(rawPhone);
    if (phone == null) return invalid("phone must be an integer with the country code, got " + describe(rawPhone));
    if (phone.length() < MIN_PHONE_DIGITS || phone.length() > MAX_PHONE_DIGITS) {
      return invalid("phone must have " + MIN_PHONE_DIGITS + " to " + MAX_PHONE_DIGITS + " digits, got " + phone);
    }

    Object rawSmsId = body.getValue("smsId");
    Long smsId = null;
    if (rawSmsId != null) {
      smsId = toLong(WireNumbers.integerDigits(rawSmsId));
      if (smsId == null) return invalid("smsId must be a non-negative integer, got " + describe(rawSmsId));
    }

    Object from = body.getValue("phoneFrom");
    String phoneFrom = from == null ? null : IncomingSms.withoutNul(from.toString());
    if (phoneFrom != null && phoneFrom.isEmpty()) phoneFrom = null;
    return new Parsed.Valid(new PushSms(smsId, phone, phoneFrom, textString));
  }

  /** Compares the body's key with ours in constant time, so the reply time does not leak it. */
  public static boolean keyMatches(JsonObject body, String expectedKey) {
    Object key = body == null ? null : body.getValue("key");
    if (!(key instanceof String given) || expectedKey == null) return false;
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expectedKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The reply that tells the agent the SMS is ours and must never be sent again. */
  public static JsonObject successReply() {
    return new JsonObject().put("status", "SUCCESS");
  }

  /** Any reply but SUCCESS makes the agent send the SMS again later (every 10 s in the protocol). */
  public static JsonObject errorReply(String error) {
    return new JsonObject().put("status", "ERROR").put("error", error);
  }

  /** The SMS in the provider-neutral shape; the code is left for the caller to extract. */
  public IncomingSms toIncomingSms(Instant receivedAt) {
    return new IncomingSms(smsId == null ? null : smsId.toString(), phoneFrom, text, null, receivedAt);
  }

  private static Long toLong(String digits) {
    try {
      return digits == null ? null : Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String describe(Object value) {
    if (value == null) return "nothing";
    String shown = value instanceof String s ? '"' + s + '"' : value.toString();
    return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
  }

  private static Parsed invalid(String error) {
    return new Parsed.Invalid(error);
  }
}
