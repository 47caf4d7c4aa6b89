package com.otporchestrator.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line, for production log pipelines ({@code LOG_FORMAT=json}):
 * {@code time} (ISO-8601 UTC), {@code level}, {@code logger}, {@code thread}, {@code message}, then
 * every MDC entry and every structured key-value pair of the event (orderId, providerId, eventId...)
 * as top-level fields, then {@code error} and {@code stack} when a throwable was logged.
 *
 * <p>Written here rather than logback's {@code JsonEncoder}, whose field layout (epoch-millis
 * timestamp, nested {@code mdc}/{@code kvpList}, raw {@code arguments}) suits log shippers less, and
 * rather than adding logstash-logback-encoder for six fields. As a last line of defence the message
 * and stack have secret-looking values masked: query parameters such as {@code api_key=}, bearer
 * tokens and URL credentials (the call sites already avoid logging them).
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NOTHING = new byte[0];
  private static final Pattern SECRET_PARAM = Pattern.compile(
      "(?i)\\b(api_key|apikey|api-key|key|token|secret|password|admin_token)=([^&\\s\"']+)");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]+");
  private static final Pattern URL_CREDENTIALS = Pattern.compile("://[^/@\\s:]+:[^/@\\s]+@");

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder out = new StringBuilder(256);
    out.append('{');
    field(out, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString(), true);
    field(out, "level", event.getLevel().toString(), false);
    field(out, "logger", event.getLoggerName(), false);
    field(out, "thread", event.getThreadName(), false);
    field(out, "message", redact(event.getFormattedMessage()), false);
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) mdc.forEach((key, value) -> field(out, key, value, false));
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        out.append(',');
        string(out, pair.key);
        out.append(':');
        if (pair.value instanceof Number || pair.value instanceof Boolean) out.append(pair.value);
        else if (pair.value == null) out.append("null");
        else string(out, redact(String.valueOf(pair.value)));
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      field(out, "error", redact(thrown.getClassName() + ": " + thrown.getMessage()), false);
      field(out, "stack", redact(ThrowableProxyUtil.asString(thrown)), false);
    }
    out.append("}\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String redact(String text) {
    if (text == null) return null;
    String masked = SECRET_PARAM.matcher(text).replaceAll("$1=***");
    masked = BEARER.matcher(masked).replaceAll("$1 ***");
    return URL_CREDENTIALS.matcher(masked).replaceAll("://***@");
  }

  private static void field(StringBuilder out, String name, String value, boolean first) {
    if (!first) out.append(',');
    string(out, name);
    out.append(':');
    if (value == null) out.append("null");
    else string(out, value);
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }
}
