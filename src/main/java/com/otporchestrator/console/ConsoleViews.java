package com.otporchestrator.console;

/** The small models the console's templates read beside the services' own records (public: templates are elsewhere). */
public final class ConsoleViews {
  private ConsoleViews() {}

  /** The claims queue's filters as the form sent them; null means any. */
  public record ClaimFilters(String state, String type, Long accountId, boolean overdue) {}

  /** What a claim's page offers this person, decided from the role table and the claim's state. */
  public record ClaimOffer(boolean decide, boolean escalate, boolean override, boolean adjust) {}

  /** What an account's page offers this person, decided from the role table and the account's status. */
  public record AccountOffer(boolean suspend, boolean activate, boolean terminate) {}

  /** One problem the policy loader found: where in the document, and what. */
  public record PolicyProblem(String path, String message) {
    static PolicyProblem of(String text) {
      int colon = text.indexOf(": ");
      return colon < 0 ? new PolicyProblem("$", text) : new PolicyProblem(text.substring(0, colon), text.substring(colon + 2));
    }
  }
}
