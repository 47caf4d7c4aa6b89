package com.otporchestrator.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Records every warning of Vert.x's blocked-thread checker, so tests can insist there were none. */
public final class BlockedThreadWatch extends AppenderBase<ILoggingEvent> {
  private static final BlockedThreadWatch INSTANCE = new BlockedThreadWatch();
  private final List<String> warnings = new CopyOnWriteArrayList<>();

  public static synchronized BlockedThreadWatch install() {
    if (!INSTANCE.isStarted()) {
      Logger logger = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
      INSTANCE.setContext(logger.getLoggerContext());
      INSTANCE.start();
      logger.addAppender(INSTANCE);
    }
    return INSTANCE;
  }

  @Override
  protected void append(ILoggingEvent event) {
    warnings.add(event.getFormattedMessage());
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }
}
