package com.otporchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.activation.ActivationState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The webhook event catalogue (WebhookEvents), the events the triggers write, and docs/api.md say the same. */
@DisplayName("The webhook event catalogue, the state-change triggers and the docs agree")
class WebhookEventCatalogueTest {
  @Test
  void everyTypeIsDocumentedAndEveryDocumentedTypeIsInTheCatalogue() throws Exception {
    String api = Files.readString(Path.of("docs", "api.md"));
    String events = api.substring(api.indexOf("### Webhook events"), api.indexOf("### How delivery works"));
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("`((?:activation|rental|policy)\\.[a-z_]+)`").matcher(events);
    while (m.find()) documented.add(m.group(1));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(WebhookEvents.TYPES.keySet());
  }

  @Test
  void everyStateAnActivationCanMoveToHasItsEvent() throws Exception {
    // the trigger writes activation.<state> for every move except into CODE_RECEIVED (that is activation.sms)
    for (ActivationState state : ActivationState.values()) {
      if (state == ActivationState.ALLOCATING || state == ActivationState.CODE_RECEIVED) continue;
      assertThat(WebhookEvents.TYPES).containsKey("activation." + state.name().toLowerCase(Locale.ROOT));
    }
    for (String state : new String[] {"active", "finished", "ended", "cancelled", "failed"}) {
      assertThat(WebhookEvents.TYPES).containsKey("rental." + state);
    }
    String migration = Files.readString(Path.of("src/main/resources/db/migration/V16_2__webhooks_standard_and_every_state.sql"));
    assertThat(migration).contains("'activation.' || lower(NEW.state)", "'rental.' || lower(NEW.state)",
        "IF NEW.state = 'CODE_RECEIVED' THEN RETURN NULL");
  }
}
