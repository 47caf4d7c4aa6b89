package com.otporchestrator.policy;

import java.util.List;

/** A policy document that is not valid; {@link #problems()} lists every problem, each naming its path. */
public final class PolicyValidationException extends RuntimeException {
  private final List<String> problems;

  public PolicyValidationException(String document, List<String> problems) {
    super(document + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
