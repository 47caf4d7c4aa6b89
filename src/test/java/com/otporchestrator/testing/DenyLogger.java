package com.otporchestrator.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * A logback filter that drops the events of one logger (logback-test.xml keeps the access log, one line per request,
 * off the console this way and writes it to its own file). Tests that capture logs on the root logger still see them.
 */
public final class DenyLogger extends Filter<ILoggingEvent> {
  private String logger;

  public void setLogger(String logger) {
    this.logger = logger;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return event.getLoggerName().equals(logger) ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
