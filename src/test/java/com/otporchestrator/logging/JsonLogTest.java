package com.otporchestrator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@DisplayName("LOG_FORMAT=json: one JSON object per line, with structured fields and no secrets")
class JsonLogTest {

  /** An appender on the root logger writing through the JSON encoder into memory. */
  private static final class Capture implements AutoCloseable {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new OutputStreamAppender<>();
    final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    Capture() {
      JsonLineEncoder encoder = new JsonLineEncoder();
      encoder.setContext(root.getLoggerContext());
      encoder.start();
      appender.setContext(root.getLoggerContext());
      appender.setEncoder(encoder);
      appender.setOutputStream(bytes);
      appender.setImmediateFlush(true);
      appender.start();
      root.addAppender(appender);
    }

    List<String> lines() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
      }
    }

    @Override
    public void close() {
      root.detachAppender(appender);
      appender.stop();
    }
  }

  @Test
  void writesTheStandardFieldsMdcKeyValuesAndErrors() {
    org.slf4j.Logger log = LoggerFactory.getLogger("com.otporchestrator.test.JsonLog");
    List<JsonObject> lines = new ArrayList<>();
    try (Capture capture = new Capture()) {
      MDC.put("requestId", "r-1");
      try {
        log.atWarn().addKeyValue("orderId", 100000042L).addKeyValue("providerId", "hub-1")
            .log("order {} refused: \"quoted\"\nsecond line\ttab \u0001", 100000042L);
      } finally {
        MDC.remove("requestId");
      }
      log.error("call failed for https://user:pw@example.com/x?api_key=abcdef&x=1 with Bearer tok.en-123",
          new IllegalStateException("boom api_key=abcdef"));
      capture.lines().forEach(line -> lines.add(new JsonObject(line)));
    }
    assertThat(lines).hasSize(2);
    JsonObject warn = lines.get(0);
    assertThat(warn.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(warn.getString("level")).isEqualTo("WARN");
    assertThat(warn.getString("logger")).isEqualTo("com.otporchestrator.test.JsonLog");
    assertThat(warn.getString("thread")).isEqualTo(Thread.currentThread().getName());
    assertThat(warn.getString("message")).isEqualTo("order 100000042 refused: \"quoted\"\nsecond line\ttab \u0001");
    assertThat(warn.getLong("orderId")).isEqualTo(100000042L);
    assertThat(warn.getString("providerId")).isEqualTo("hub-1");
    assertThat(warn.getString("requestId")).isEqualTo("r-1");

    JsonObject error = lines.get(1);
    assertThat(error.getString("level")).isEqualTo("ERROR");
    assertThat(error.getString("message")).doesNotContain("abcdef", "tok.en-123", "user:pw")
        .contains("api_key=***", "Bearer ***", "https://***@example.com");
    assertThat(error.getString("error")).isEqualTo("java.lang.IllegalStateException: boom api_key=***");
    assertThat(error.getString("stack")).contains("JsonLogTest").doesNotContain("abcdef");
  }

  @Test
  void logsARealFlowAsJsonWithoutAnySecret() {
    List<String> lines;
    String apiKey;
    try (TestStores.Isolated stores = TestStores.isolate(JsonLogTest.class); Capture capture = new Capture()) {
      TestNode node = TestNode.start(stores);
      try {
        node.offer("tg", 0, "0.50");
        Customer customer = node.customer("json-logs", "5.00");
        apiKey = customer.apiKey();
        Api api = node.api();
        // the sms-activate compatible API carries the key in the query string, which the access log records
        assertThat(api.get("/stubs/handler_api.php?api_key=" + apiKey + "&action=getBalance", null).body()).startsWith("ACCESS_BALANCE");
        assertThat(api.get("/stubs/handler_api.php?action=getNumber&service=tg&country=0&api_key=" + apiKey, null).body())
            .startsWith("ACCESS_NUMBER");
        assertThat(api.get("/v1/wallet", apiKey).status()).isEqualTo(200);
        assertThat(api.get("/v1/wallet", "not-a-valid-key-0123456789").status()).isEqualTo(401);
        node.assertEventLoopNeverBlocked();
      } finally {
        node.close();
      }
      lines = capture.lines();
    }
    assertThat(lines).as("log lines of a node's start and a few requests").hasSizeGreaterThan(5);
    for (String line : lines) {
      JsonObject json = new JsonObject(line);
      assertThat(json.fieldNames()).as(line).contains("time", "level", "logger", "thread", "message");
      assertThat(line).as("a log line").doesNotContain(apiKey, TestNode.ADMIN_TOKEN, "not-a-valid-key-0123456789",
          "sandbox-key");
    }
    assertThat(lines).anySatisfy(line -> assertThat(new JsonObject(line).getString("message"))
        .startsWith("GET /stubs/handler_api.php?api_key=***&action=getBalance 200"));
  }

  @Test
  void logbackXmlPicksTheFormatFromLogFormat() throws Exception {
    assertThat(rootEncoder("json")).isInstanceOf(JsonLineEncoder.class);
    assertThat(rootEncoder("text")).isInstanceOf(LayoutWrappingEncoder.class);
    assertThat(rootEncoder(null)).isInstanceOf(LayoutWrappingEncoder.class);
  }

  /** Configures a fresh logger context from the production logback.xml with LOG_FORMAT set, answers the root appender's encoder. */
  private static Object rootEncoder(String format) throws Exception {
    String previous = System.getProperty("LOG_FORMAT");
    try {
      if (format == null) System.clearProperty("LOG_FORMAT");
      else System.setProperty("LOG_FORMAT", format);
      LoggerContext context = new LoggerContext();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(JsonLogTest.class.getResource("/logback.xml"));
      List<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> appenders = new ArrayList<>();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appenders::add);
      assertThat(appenders).hasSize(1);
      // logback prints its status lines at start-up whenever configuring warned; it must have nothing to say
      assertThat(new StatusUtil(context).getHighestLevel(0)).as("logback status level").isLessThan(Status.WARN);
      Object encoder = ((ConsoleAppender<?>) appenders.get(0)).getEncoder();
      context.stop();
      return encoder;
    } finally {
      if (previous == null) System.clearProperty("LOG_FORMAT");
      else System.setProperty("LOG_FORMAT", previous);
    }
  }
}
