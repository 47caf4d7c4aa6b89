package com.otporchestrator.api;

/** The decision log's statements; each touches admin_decisions only (no lock order to keep). */
final class DecisionSql {
  private DecisionSql() {}

  static final String RECORD = """
      INSERT INTO admin_decisions (actor, action, subject, note) VALUES ($1, $2, $3, $4)""";

  static final String ABOUT = """
      SELECT id, at, actor, action, subject, note FROM admin_decisions
       WHERE subject = $1 ORDER BY id DESC LIMIT $2""";
}
