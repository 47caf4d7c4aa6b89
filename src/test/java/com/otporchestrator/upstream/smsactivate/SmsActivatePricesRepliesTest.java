package com.otporchestrator.upstream.smsactivate;

import static com.otporchestrator.upstream.smsactivate.SmsActivateSamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.smsactivate.SmsActivateReplies.Parsed;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sms-activate replies to getPrices")
class SmsActivatePricesRepliesTest {
  private final SmsActivateReplies replies = new SmsActivateReplies(SmsActivateConfig.MOSCOW);

  @Test
  @DisplayName("read numeric costs and counts, and Tiger's string costs and quant counts")
  void prices() {
    String body = """
        { "52": { "dr": { "cost": 0.05, "count": 5, "physicalCount": 0 } },
          "0":  { "tg": { "cost": "12.50", "quant": "7" } },
          "xx": { "tg": { "cost": 1, "count": 1 } } }""";
    Parsed<List<StockLine>> parsed = replies.stock(ok(body));
    assertThat(parsed).isInstanceOf(Parsed.Ok.class);
    assertThat(((Parsed.Ok<List<StockLine>>) parsed).value()).containsExactlyInAnyOrder(
            new StockLine("dr", 52, "any", 5, 50_000L),
            new StockLine("tg", 0, "any", 7, 12_500_000L));
  }

  @Test
  @DisplayName("Hero's {status:false, msg} for an unknown service is a refusal")
  void unknownService() {
    assertThat(replies.stock(ok("{\"status\":\"false\",\"msg\":\"service is incorrect\"}")))
        .isInstanceOf(Parsed.Refused.class);
  }
}
