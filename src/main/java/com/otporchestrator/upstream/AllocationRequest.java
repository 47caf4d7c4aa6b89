package com.otporchestrator.upstream;

import java.util.List;

/**
 * What we ask a supplier for. {@code payoutMicros} is what we pay the supplier on success (SMSHub's
 * {@code sum}); {@code excludedPrefixes} are phone prefixes the customer refuses. {@code rentHours} is null for an
 * activation and the rental's length for a rental (only asked of suppliers whose {@link Provider#rents()} is true).
 * {@code reusePhone} is null, or the number (at this supplier) a reactivation or an additional service must be on: only
 * asked of suppliers whose {@link Provider#reusesNumbers()} is true, and any other number is a failure.
 */
public record AllocationRequest(String service, int country, String operator, long payoutMicros,
                                List<String> excludedPrefixes, Integer rentHours, String reusePhone) {
  public AllocationRequest {
    operator = operator == null || operator.isBlank() ? "any" : operator;
    excludedPrefixes = excludedPrefixes == null ? List.of() : List.copyOf(excludedPrefixes);
  }

  public AllocationRequest(String service, int country, String operator, long payoutMicros,
                           List<String> excludedPrefixes, Integer rentHours) {
    this(service, country, operator, payoutMicros, excludedPrefixes, rentHours, null);
  }

  /** An activation. */
  public AllocationRequest(String service, int country, String operator, long payoutMicros, List<String> excludedPrefixes) {
    this(service, country, operator, payoutMicros, excludedPrefixes, null);
  }

  /** A rental of {@code hours}; {@code service} "full" means SMS from any service. */
  public static AllocationRequest rental(String service, int country, long payoutMicros, int hours) {
    return new AllocationRequest(service, country, null, payoutMicros, List.of(), hours);
  }
}
