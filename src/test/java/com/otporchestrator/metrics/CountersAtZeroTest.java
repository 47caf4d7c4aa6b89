package com.otporchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A fresh pod already answers every counter the Grafana dashboard queries, at 0, so no panel starts empty. */
@DisplayName("Every counter the dashboard queries exists at 0 on a fresh node")
class CountersAtZeroTest {
  @Test
  void everyDashboardCounterIsScrapedBeforeAnyTraffic() throws Exception {
    String dashboard = Files.readString(Path.of("deploy", "grafana", "otp-orchestrator.json"));
    Set<String> counters = new TreeSet<>();
    Matcher m = Pattern.compile("(otp_[a-z_]+_total)").matcher(dashboard);
    while (m.find()) counters.add(m.group(1));
    assertThat(counters).contains("otp_refunds_total", "otp_duplicates_suppressed_total", "otp_provider_errors_total",
        "otp_webhook_deliveries_total");

    try (TestStores.Isolated stores = TestStores.isolate(CountersAtZeroTest.class);
         TestNode node = TestNode.start(stores)) {
      String scraped = node.api().get("/metrics", null).body();
      for (String counter : counters) {
        assertThat(scraped).as("a sample of %s", counter).containsPattern("(?m)^" + counter + "(\\{| )");
      }
      for (String line : new String[] {
          "otp_refunds_total{reason=\"expired\"", "otp_refunds_total{reason=\"cancelled\"",
          "otp_refunds_total{reason=\"outage\"", "otp_captures_total{trigger=\"finished\"",
          "otp_duplicates_suppressed_total{source=\"sms\"", "otp_duplicates_suppressed_total{source=\"expiry_cas_miss\"",
          "otp_webhook_deliveries_total{outcome=\"failed\"", "otp_purchases_total{outcome=\"no_numbers\"",
          "otp_sms_received_total{result=\"stored\""}) {
        assertThat(scraped).as(line).containsPattern("(?m)^" + Pattern.quote(line) + ".*\\} 0\\.0$");
      }
      assertThat(scraped).containsPattern("(?m)^otp_provider_errors_total\\{error=\"unknown\",operation=\"allocate\","
          + "provider=\"sandbox\".*\\} 0\\.0$");
      node.assertEventLoopNeverBlocked();
    }
  }
}
