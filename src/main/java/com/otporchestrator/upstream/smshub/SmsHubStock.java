package com.otporchestrator.upstream.smshub;

import com.otporchestrator.upstream.Countries;
import com.otporchestrator.upstream.StockLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a GET_SERVICES countryList: {@code [{"country":"russia","operatorMap":{"beeline":{"vk":10}}}]}.
 * Countries we do not map and counts that are not non-negative integers are skipped, so one odd entry
 * does not hide the rest of the agent's stock. The protocol tells no cost.
 */
final class SmsHubStock {
  private static final Logger LOG = LoggerFactory.getLogger(SmsHubStock.class);

  private SmsHubStock() {}

  static List<StockLine> parse(JsonArray countryList) {
    List<StockLine> lines = new ArrayList<>();
    for (Object entry : countryList) {
      if (!(entry instanceof JsonObject country)) continue;
      String name = country.getValue("country") instanceof String s ? s : null;
      Integer countryId = Countries.fromSmshubName(name).orElse(null);
      if (countryId == null) {
        LOG.debug("skipping stock of unmapped SMSHub country {}", name);
        continue;
      }
      if (country.getValue("operatorMap") instanceof JsonObject operators) {
        addOperators(lines, countryId, operators);
      }
    }
    return lines;
  }

  private static void addOperators(List<StockLine> lines, int countryId, JsonObject operators) {
    for (Map.Entry<String, Object> operator : operators) {
      if (!(operator.getValue() instanceof JsonObject services)) continue;
      for (Map.Entry<String, Object> service : services) {
        Integer count = count(service.getValue());
        if (count != null) {
          lines.add(new StockLine(service.getKey(), countryId, operator.getKey(), count, null));
        }
      }
    }
  }

  private static Integer count(Object value) {
    String digits = WireNumbers.integerDigits(value);
    try {
      return digits == null ? null : Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
