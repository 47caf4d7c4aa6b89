package com.otporchestrator.config;

/** A setting that cannot be used; the message names the variable and what is expected. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
