package com.otporchestrator.upstream;

import java.util.List;

/** What a poll saw: the supplier's view of the activation and every SMS it reports. */
public record PollResult(UpstreamStatus status, List<IncomingSms> messages) {
  public PollResult {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }

  public enum UpstreamStatus { WAITING, CODE_RECEIVED, CLOSED, UNKNOWN }
}
