package com.otporchestrator.upstream;

/** Builds the protocol adapter for a configured supplier. */
@FunctionalInterface
public interface ProviderFactory {
  Provider create(ProviderRecord record);
}
