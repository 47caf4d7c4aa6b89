package com.otporchestrator.claim;

import com.otporchestrator.ledger.Postings;

/** Every claim statement. Each state change writes its claim_events row in the same statement. */
final class ClaimSql {
  private ClaimSql() {}

  static final String OPEN = "('SUBMITTED', 'NEEDS_EVIDENCE', 'IN_REVIEW', 'ESCALATED')";

  /**
   * The order as a claim sees it (owner only), activation or rental (one id space), with the database clock. For a
   * rental, "expires" is its end and "cancellable" the end of its cancel window.
   */
  static final String ORDER = """
      SELECT o.id, o.account_id, o.kind, o.service, o.state, o.price, o.created_at, o.expires_at, o.cancellable_at,
             o.policy_id, o.policy_version, o.channel, acc.status AS account_status, o.first_sms_at,
             EXISTS (SELECT 1 FROM ledger_entries l WHERE l.order_id = o.id AND l.kind = 'capture') AS captured,
             EXISTS (SELECT 1 FROM ledger_entries l WHERE l.order_id = o.id AND l.kind IN ('void', 'partial_void', 'refund'))
               AS refunded,
             EXISTS (SELECT 1 FROM abuse_flags f WHERE f.account_id = o.account_id AND f.resolved_at IS NULL
                      AND f.action IN ('throttle', 'suspend')) AS flagged,
             now() AS db_now
        FROM (SELECT a.id, a.account_id, 'ACTIVATION' AS kind, a.service, a.state, a.price, a.created_at, a.expires_at,
                     a.cancellable_at, a.policy_id, a.policy_version, a.channel,
                     (SELECT min(s.received_at) FROM activation_sms s WHERE s.activation_id = a.id) AS first_sms_at
                FROM activations a WHERE a.id = $1 AND a.account_id = $2
              UNION ALL
              SELECT r.id, r.account_id, 'RENTAL', r.service, r.state, r.price, r.created_at, r.ends_at,
                     r.cancel_until, r.policy_id, r.policy_version, r.channel,
                     (SELECT min(s.received_at) FROM rental_sms s WHERE s.rental_id = r.id)
                FROM rentals r WHERE r.id = $1 AND r.account_id = $2) o
        JOIN accounts acc ON acc.id = o.account_id""";

  /** The account as an account claim sees it: its status and whether an abuse flag throttled or suspended it. */
  static final String ACCOUNT = """
      SELECT a.status,
             EXISTS (SELECT 1 FROM abuse_flags f WHERE f.account_id = a.id AND f.resolved_at IS NULL
                      AND f.action IN ('throttle', 'suspend')) AS flagged
        FROM accounts a WHERE a.id = $1""";

  /**
   * Files a claim on order $2 (null: an account claim naming deposit reference $17), guarded by the database clock and
   * by finality: nothing is written when the filing window ($15, exclusive) closed meanwhile ({@code late}), or when
   * the policy's decisions are final ($19) and a claim of the same type on the same order (or deposit reference) was
   * decided ({@code decided}). The earlier claims are read locked, so a decision being written is waited for and seen.
   * Deadlines: $11/$13 milliseconds or $12/$14 business days from now(). $18: the customer's choice of remedy.
   */
  static final String FILE = """
      WITH earlier AS (
        SELECT state FROM claims d
         WHERE d.type = $4 AND CASE WHEN $2::bigint IS NULL
                                    THEN d.account_id = $1 AND d.order_kind = 'account' AND d.deposit_reference = $17
                                    ELSE d.order_id = $2 END
           FOR UPDATE
      ), guard AS (
        SELECT $15::timestamptz IS NOT NULL AND now() >= $15::timestamptz AS late,
               $19::boolean AND EXISTS (SELECT 1 FROM earlier WHERE state IN ('APPROVED', 'REJECTED')) AS decided
      ), ins AS (
        INSERT INTO claims (account_id, order_id, order_kind, type, text, tags, policy_id, policy_version, state,
                            missing_evidence, auto_remedy, response_due_at, resolution_due_at, deposit_reference,
                            chosen_remedy)
        SELECT $1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10::text[], $16,
               CASE WHEN $11::bigint IS NOT NULL THEN now() + $11::bigint * interval '1 millisecond'
                    WHEN $12::int IS NOT NULL THEN add_business_days(now(), $12::int) END,
               CASE WHEN $13::bigint IS NOT NULL THEN now() + $13::bigint * interval '1 millisecond'
                    WHEN $14::int IS NOT NULL THEN add_business_days(now(), $14::int) END,
               $17, $18
          FROM guard WHERE NOT guard.late AND NOT guard.decided
        RETURNING id, state, next_deadline_at
      ), ev AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
        SELECT id, 'customer:' || $1::bigint, NULL, state, 'filed' FROM ins
      )
      SELECT g.late, g.decided, i.id, ceil(extract(epoch FROM i.next_deadline_at) * 1000)::bigint AS due_ms
        FROM guard g LEFT JOIN ins i ON true""";

  static final String COLUMNS = """
      c.id, c.account_id, c.order_id, c.order_kind, c.type, c.text, c.tags, c.policy_id, c.policy_version, c.state,
      c.missing_evidence, c.evidence_count, c.escalation_level, c.auto_remedy, c.filed_at, c.response_due_at,
      c.responded_at, c.response_missed_at, c.resolution_due_at, c.resolution_missed_at, c.decided_at, c.decided_by,
      c.decision_note, c.remedy, c.refund_amount, c.deposit_reference, c.chosen_remedy, c.adjustment_amount,
      (c.state IN """ + OPEN + " " + """
       AND ((c.responded_at IS NULL AND c.response_due_at <= now()) OR c.resolution_due_at <= now())) AS overdue""";

  /** $2 NULL: any account (admins). */
  static final String GET = "SELECT " + COLUMNS + " FROM claims c WHERE c.id = $1 AND ($2::bigint IS NULL OR c.account_id = $2)";

  static final String LIST_OWN = "SELECT " + COLUMNS + " " + """
       FROM claims c WHERE c.account_id = $1 AND ($2::bigint IS NULL OR c.id < $2) ORDER BY c.id DESC LIMIT $3""";

  static final String QUEUE = "SELECT " + COLUMNS + " " + """
       FROM claims c
      WHERE ($1::text IS NULL OR c.state = $1) AND ($2::text IS NULL OR c.type = $2)
        AND ($3::bigint IS NULL OR c.account_id = $3) AND ($4::bigint IS NULL OR c.id < $4)
        AND (NOT $5::boolean OR (c.state IN """ + OPEN + """
             AND ((c.responded_at IS NULL AND c.response_due_at <= now()) OR c.resolution_due_at <= now())))
      ORDER BY c.id DESC LIMIT $6""";

  static final String EVENTS = """
      SELECT at, actor, from_state, to_state, note, internal FROM claim_events
       WHERE claim_id = $1 AND ($2::boolean OR NOT internal) ORDER BY id""";

  static final String EVIDENCE_LIST = """
      SELECT n, media_type, size_bytes, sha256, uploaded_at FROM claim_evidence WHERE claim_id = $1 ORDER BY n""";

  static final String EVIDENCE_FILE = """
      SELECT e.media_type, e.data FROM claim_evidence e JOIN claims c ON c.id = e.claim_id
       WHERE e.claim_id = $1 AND e.n = $2 AND ($3::bigint IS NULL OR c.account_id = $3)""";

  /**
   * Adds file n = evidence_count + 1 (at most 5, under the claim's row lock); $3 lists the missing kinds this file
   * proves. A NEEDS_EVIDENCE claim with nothing missing any more goes back to review.
   */
  static final String ADD_EVIDENCE = """
      WITH cur AS (
        SELECT id, state,
               ARRAY(SELECT k FROM unnest(missing_evidence) k WHERE NOT (k = ANY($3::text[]))) AS missing
          FROM claims WHERE id = $1 AND account_id = $2 AND state IN """ + OPEN + """
           AND evidence_count < 5 FOR UPDATE
      ), upd AS (
        UPDATE claims c SET evidence_count = c.evidence_count + 1, missing_evidence = cur.missing,
               state = CASE WHEN c.state = 'NEEDS_EVIDENCE' AND cardinality(cur.missing) = 0
                            THEN CASE WHEN c.responded_at IS NULL THEN 'SUBMITTED' ELSE 'IN_REVIEW' END
                            ELSE c.state END
          FROM cur WHERE c.id = cur.id
        RETURNING c.id, c.evidence_count AS n, cur.state AS from_state, c.state AS to_state
      ), file AS (
        INSERT INTO claim_evidence (claim_id, n, media_type, size_bytes, sha256, data)
        SELECT id, n, $4, $5, $6, $7 FROM upd RETURNING n
      ), ev AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
        SELECT id, 'customer:' || $2::bigint, from_state, to_state, 'evidence file ' || n || ' added (' || $4 || ')' FROM upd
      )
      SELECT n, to_state FROM upd""";

  /**
   * A non-deciding move by support. $2 the states it may start from; $3 the target state, NULL for "respond" (SUBMITTED
   * becomes IN_REVIEW, any other state stays); $4 the escalation level expected now (NULL: not an escalation);
   * $5 actor, $6 note, $7 internal note. Any admin action counts as the first response. Re-opening a REJECTED claim
   * (an appeal) clears the decision (kept in claim_events) and the automatic remedy.
   */
  static final String MOVE = """
      WITH cur AS (
        SELECT id, state FROM claims
         WHERE id = $1 AND state = ANY($2::text[]) AND ($4::int IS NULL OR escalation_level = $4) FOR UPDATE
      ), upd AS (
        UPDATE claims c SET
               state = COALESCE($3, CASE WHEN c.state = 'SUBMITTED' THEN 'IN_REVIEW' ELSE c.state END),
               responded_at = COALESCE(c.responded_at, now()),
               escalation_level = c.escalation_level + CASE WHEN $4::int IS NULL THEN 0 ELSE 1 END,
               auto_remedy = CASE WHEN c.state = 'REJECTED' THEN NULL ELSE c.auto_remedy END,
               decided_at = NULL, decided_by = NULL, decision_note = NULL
          FROM cur WHERE c.id = cur.id
        RETURNING c.id, cur.state AS from_state, c.state AS to_state
      ), ev AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note, internal)
        SELECT id, $5, from_state, to_state, $6, $7 FROM upd
      )
      SELECT from_state, to_state FROM upd""";

  static final String REJECT = """
      WITH cur AS (
        SELECT id, state FROM claims WHERE id = $1 AND state IN """ + OPEN + """
         FOR UPDATE
      ), upd AS (
        UPDATE claims c SET state = 'REJECTED', responded_at = COALESCE(c.responded_at, now()), decided_at = now(),
               decided_by = $2, decision_note = $3
          FROM cur WHERE c.id = cur.id
        RETURNING c.id, cur.state AS from_state
      ), ev AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
        SELECT id, $2, from_state, 'REJECTED', $3 FROM upd
      )
      SELECT from_state FROM upd""";

  /**
   * Approves a claim and returns the price exactly once, in one statement: the claim's guarded transition (one winner
   * under concurrency: a waiting UPDATE re-checks the state), the ledger's refund ({@link Postings#REFUND}: UNIQUE
   * (order_id, kind) is the second guard), and the history row. Only on a resolved order: a captured one is refunded, a
   * voided (or already refunded) one is recorded as already_refunded with no money moved; an open one is left alone.
   * $1 claim, $2 actor, $3 remedy (refund | replacement; null: the customer's choice, else a refund), $4 note, $5 true
   * when the resolution deadline applies it (then only a claim that is due, not waiting for evidence, with an automatic
   * remedy), $6 the admin's reason for approving without the evidence the policy requires (null: none is missing).
   */
  static final String APPROVE = """
      WITH target AS (
        SELECT c.id, c.state AS from_state, c.order_id, a.account_id, a.price, c.missing_evidence,
               EXISTS (SELECT 1 FROM ledger_entries l WHERE l.order_id = c.order_id AND l.kind = 'capture') AS captured,
               EXISTS (SELECT 1 FROM ledger_entries l
                        WHERE l.order_id = c.order_id AND l.kind IN ('void', 'partial_void', 'refund')) AS refunded
          FROM claims c
          JOIN LATERAL (SELECT id, account_id, price FROM activations WHERE id = c.order_id
                        UNION ALL
                        SELECT id, account_id, price FROM rentals WHERE id = c.order_id) a ON true
         WHERE c.id = $1 AND c.state IN """ + OPEN + """
           AND (cardinality(c.missing_evidence) = 0 OR $6::text IS NOT NULL)
           AND (NOT $5::boolean OR (c.state <> 'NEEDS_EVIDENCE' AND c.auto_remedy IS NOT NULL
                                    AND c.resolution_due_at <= now()))
      ), decided AS (
        UPDATE claims c SET state = 'APPROVED',
               remedy = CASE WHEN t.refunded THEN 'already_refunded' ELSE COALESCE($3, c.chosen_remedy, 'refund') END,
               refund_amount = CASE WHEN t.refunded THEN 0 ELSE t.price END,
               responded_at = COALESCE(c.responded_at, now()), decided_at = now(), decided_by = $2, decision_note = $4
          FROM target t
         WHERE c.id = t.id AND c.state IN """ + OPEN + """
           AND (t.captured OR t.refunded)
        RETURNING c.id, c.order_id, t.from_state, t.account_id, t.price, t.refunded, c.remedy, t.missing_evidence
      ), to_refund AS (
        SELECT account_id, order_id, price AS amount, 'claim:' || id AS reference FROM decided WHERE NOT refunded
      )""" + Postings.REFUND + """
      , waived AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note, internal)
        SELECT id, $2, from_state, from_state, 'approved without the evidence the policy requires (missing: '
               || array_to_string(missing_evidence, ', ') || '): ' || $6, true
          FROM decided WHERE cardinality(missing_evidence) > 0
      ), ev AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
        SELECT id, $2, from_state, 'APPROVED', $4 FROM decided
      )
      SELECT t.captured, t.refunded, d.remedy, (SELECT count(*) FROM refund_wallets) AS credited
        FROM target t LEFT JOIN decided d ON d.id = t.id""";

  /**
   * Approves an account claim (a deposit or billing problem) with the ledger adjustment an admin records: $3 micro-USD,
   * credited or (negative) debited, the reason in $4, in one statement with the claim's guarded transition and its
   * history ({@link Postings#ADJUST}, once per claim). A debit the balance no longer covers fails it (23514). $5: the
   * reason for deciding without the evidence the policy requires (null: none is missing). Lock order: the claim, then
   * the wallet.
   */
  static final String ADJUST = """
      WITH target AS (
        SELECT id, state AS from_state, account_id, missing_evidence FROM claims
         WHERE id = $1 AND order_kind = 'account' AND state IN """ + OPEN + """
           AND (cardinality(missing_evidence) = 0 OR $5::text IS NOT NULL)
         FOR UPDATE
      ), decided AS (
        UPDATE claims c SET state = 'APPROVED', remedy = 'adjustment', adjustment_amount = $3,
               responded_at = COALESCE(c.responded_at, now()), decided_at = now(), decided_by = $2, decision_note = $4
          FROM target t WHERE c.id = t.id
        RETURNING c.id, c.account_id, t.from_state, t.missing_evidence
      ), to_adjust AS (
        SELECT account_id, $3::bigint AS amount, 'claim:' || id AS reference FROM decided
      )""" + Postings.ADJUST + """
      , waived AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note, internal)
        SELECT id, $2, from_state, from_state, 'decided without the evidence the policy requires (missing: '
               || array_to_string(missing_evidence, ', ') || '): ' || $5, true
          FROM decided WHERE cardinality(missing_evidence) > 0
      ), ev AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
        SELECT id, $2, from_state, 'APPROVED', $4 FROM decided
      )
      SELECT id FROM decided""";

  /** The customer changes the remedy they chose ($3), while the claim is open; history row in the same statement. */
  static final String CHOOSE_REMEDY = """
      WITH upd AS (
        UPDATE claims SET chosen_remedy = $3
         WHERE id = $1 AND account_id = $2 AND state IN """ + OPEN + """
           AND chosen_remedy IS NOT NULL
        RETURNING id, state
      )
      INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
      SELECT id, 'customer:' || $2::bigint, state, state, 'remedy chosen: ' || $3 FROM upd
      RETURNING claim_id""";

  /** The first-response deadline passed unanswered: recorded once (visible to the customer). */
  static final String RESPONSE_MISSED = """
      WITH upd AS (
        UPDATE claims SET response_missed_at = now()
         WHERE id = ANY($1::bigint[]) AND state IN """ + OPEN + """
           AND responded_at IS NULL AND response_missed_at IS NULL AND response_due_at <= now()
        RETURNING id, state
      )
      INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
      SELECT id, 'system', state, state, 'the first-response deadline passed without a response' FROM upd""";

  /** The resolution deadline passed undecided and no automatic remedy applies: recorded once. */
  static final String RESOLUTION_MISSED = """
      WITH upd AS (
        UPDATE claims SET resolution_missed_at = now()
         WHERE id = ANY($1::bigint[]) AND state IN """ + OPEN + """
           AND resolution_missed_at IS NULL AND resolution_due_at <= now()
           AND (auto_remedy IS NULL OR state = 'NEEDS_EVIDENCE')
        RETURNING id, state
      )
      INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
      SELECT id, 'system', state, state, CASE WHEN state = 'NEEDS_EVIDENCE'
        THEN 'the resolution deadline passed while waiting for evidence; no automatic remedy'
        ELSE 'the resolution deadline passed undecided; the policy names no automatic remedy' END FROM upd""";

  static final String DUE_AUTO_REMEDY = """
      SELECT id FROM claims WHERE id = ANY($1::bigint[]) AND state IN ('SUBMITTED', 'IN_REVIEW', 'ESCALATED')
         AND auto_remedy IS NOT NULL AND resolution_due_at <= now()""";

  static final String NEXT_DEADLINES = """
      SELECT id, ceil(extract(epoch FROM next_deadline_at) * 1000)::bigint AS due_ms,
             (extract(epoch FROM now()) * 1000)::bigint AS now_ms
        FROM claims WHERE id = ANY($1::bigint[]) AND next_deadline_at IS NOT NULL""";

  static final String OVERDUE = """
      SELECT id FROM claims WHERE next_deadline_at < now() - $1::bigint * interval '1 millisecond'
       ORDER BY next_deadline_at LIMIT $2""";

  static final String LIVE = """
      SELECT id, ceil(extract(epoch FROM next_deadline_at) * 1000)::bigint AS due_ms FROM claims
       WHERE next_deadline_at IS NOT NULL AND id > $1 ORDER BY id LIMIT $2""";
}
