package com.otporchestrator.routing;

import com.otporchestrator.upstream.Provider;
import com.otporchestrator.upstream.ProviderRecord;

/** Builds the protocol adapter for a configured supplier. */
@FunctionalInterface
public interface ProviderFactory {
  Provider create(ProviderRecord record);
}
