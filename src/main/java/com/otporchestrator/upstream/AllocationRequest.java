package com.otporchestrator.upstream;

import java.util.List;

/**
 * What we ask a supplier for. {@code payoutMicros} is what we pay the supplier on success (SMSHub's
 * {@code sum}); {@code excludedPrefixes} are phone prefixes the customer refuses.
 */
public record AllocationRequest(String service, int country, String operator, long payoutMicros,
                                List<String> excludedPrefixes) {
  public AllocationRequest {
    operator = operator == null || operator.isBlank() ? "any" : operator;
    excludedPrefixes = excludedPrefixes == null ? List.of() : List.copyOf(excludedPrefixes);
  }
}
