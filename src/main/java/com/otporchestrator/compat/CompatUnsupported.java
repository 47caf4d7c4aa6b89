package com.otporchestrator.compat;

import com.otporchestrator.compat.CompatRoutes.Action;
import io.vertx.core.Future;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Actions the family's SDKs and clients call that we do not serve, each with why; they answer the family's token for
 * an action a server does not have, BAD_ACTION (as Tiger SMS does for the V2 actions it lacks). docs/api.md lists
 * them with every action we serve.
 */
final class CompatUnsupported {
  static final Map<String, String> REASONS = new TreeMap<>(Map.ofEntries(
      Map.entry("getIncomingCallStatus", "call verification: we sell SMS activations only"),
      Map.entry("createTaskForCall", "call verification: we sell SMS activations only"),
      Map.entry("getOutgoingCalls", "call verification: we sell SMS activations only"),
      Map.entry("parseCall", "voice verification: we sell SMS activations only"),
      Map.entry("getPricesVerification", "call verification prices: we sell SMS activations only"),
      Map.entry("getListOfActiveActivations", "the old SDK's predecessor of getActiveActivations, which replaces it"),
      Map.entry("getCurrentActivationsDataTables", "the website's table feed, not an API action"),
      Map.entry("getPricesV2", "SMSBower's per-supplier prices: customers see our price, not the suppliers'"),
      Map.entry("getPricesV3", "Grizzly/SMSBower per-supplier prices: customers see our price, not the suppliers'"),
      Map.entry("getProviders", "Tiger SMS's sub-supplier list: suppliers are not chosen by customers"),
      Map.entry("getNumbersStatusAndCostHubFree", "SMSHub's own stock feed: getNumbersStatus and getPrices answer it"),
      Map.entry("getCurrentActivations", "SMSHub's listing: getActiveActivations answers it"),
      Map.entry("continueRentInfo", "getContinueRentPriceNumber prices an extension; the rent history is not kept per extension"),
      Map.entry("getRentServices", "the old rent.php catalogue: getRentServicesAndCountries replaces it")));

  private CompatUnsupported() {}

  static void register(BiConsumer<String, Action> actions) {
    REASONS.keySet().forEach(name -> actions.accept(name,
        (account, params) -> Future.failedFuture(CompatTokens.refuse(CompatTokens.BAD_ACTION))));
  }
}
