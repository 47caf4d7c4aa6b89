-- Claims (support tickets) and abuse controls (issue 4). README "Claims" and "Abuse controls" explain the decisions.

-- Adds n business days (Monday to Friday, UTC; no public holidays) to t: step one day at a time and count only the
-- days that land on a weekday, so Friday 15:00 + 1 business day = Monday 15:00 and Saturday 10:00 + 1 = Monday 10:00.
CREATE FUNCTION add_business_days(t timestamptz, n int) RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  r timestamptz := t;
  counted int := 0;
BEGIN
  WHILE counted < n LOOP
    r := r + interval '24 hours';
    IF extract(isodow FROM r AT TIME ZONE 'UTC') < 6 THEN
      counted := counted + 1;
    END IF;
  END LOOP;
  RETURN r;
END $$;

-- One claim on one order, judged by the order's policy version (copied here so the claim never needs the order to
-- know its rules). order_id has no foreign key: activations and rentals share one id space (order_ids) and a claim
-- may name either kind.
CREATE TABLE claims (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id           bigint NOT NULL REFERENCES accounts,
  order_id             bigint NOT NULL,
  order_kind           text NOT NULL CHECK (order_kind IN ('activation', 'rental')),
  type                 text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]{0,63}$'),
  text                 text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  tags                 text[] NOT NULL DEFAULT '{}',
  policy_id            text NOT NULL,
  policy_version       int NOT NULL,
  state                text NOT NULL CHECK (state IN ('SUBMITTED', 'NEEDS_EVIDENCE', 'IN_REVIEW', 'ESCALATED',
                                                      'APPROVED', 'REJECTED')),
  -- evidence kinds the policy requires that no uploaded file covers yet
  missing_evidence     text[] NOT NULL DEFAULT '{}',
  evidence_count       int NOT NULL DEFAULT 0 CHECK (evidence_count BETWEEN 0 AND 5),
  -- index into the policy's review.escalation list
  escalation_level     int NOT NULL DEFAULT 0 CHECK (escalation_level >= 0),
  -- what applies by itself when the resolution deadline passes undecided (the claim type lists full_refund)
  auto_remedy          text CHECK (auto_remedy IN ('refund')),
  filed_at             timestamptz NOT NULL DEFAULT now(),
  response_due_at      timestamptz,
  responded_at         timestamptz,
  response_missed_at   timestamptz,
  resolution_due_at    timestamptz,
  resolution_missed_at timestamptz,
  decided_at           timestamptz,
  decided_by           text,
  decision_note        text,
  remedy               text CHECK (remedy IN ('refund', 'replacement', 'already_refunded')),
  refund_amount        bigint CHECK (refund_amount >= 0),
  -- the timer engine's deadline for this claim: the earliest deadline still pending, NULL once decided
  next_deadline_at     timestamptz GENERATED ALWAYS AS (
    CASE WHEN state IN ('SUBMITTED', 'NEEDS_EVIDENCE', 'IN_REVIEW', 'ESCALATED') THEN
      LEAST(CASE WHEN responded_at IS NULL AND response_missed_at IS NULL THEN response_due_at END,
            CASE WHEN resolution_missed_at IS NULL THEN resolution_due_at END)
    END) STORED,
  FOREIGN KEY (policy_id, policy_version) REFERENCES refund_policies (policy_id, version),
  CHECK ((state IN ('APPROVED', 'REJECTED')) = (decided_at IS NOT NULL)),
  CHECK ((state = 'APPROVED') = (remedy IS NOT NULL))
);
-- One open claim per order: a second one is refused until the first is decided.
CREATE UNIQUE INDEX claims_one_open_per_order ON claims (order_id)
  WHERE state IN ('SUBMITTED', 'NEEDS_EVIDENCE', 'IN_REVIEW', 'ESCALATED');
CREATE INDEX claims_by_account ON claims (account_id, id DESC);
CREATE INDEX claims_queue ON claims (state, id DESC);
CREATE INDEX claims_next_deadline ON claims (next_deadline_at) WHERE next_deadline_at IS NOT NULL;

-- Screenshots, videos and PDFs, stored in PostgreSQL (pods are stateless and the stack has no object store).
-- Media are already compressed: EXTERNAL storage skips TOAST's pointless compression attempt.
CREATE TABLE claim_evidence (
  claim_id    bigint NOT NULL REFERENCES claims,
  n           int NOT NULL CHECK (n BETWEEN 1 AND 5),
  media_type  text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif', 'video/mp4',
                                                  'video/webm', 'application/pdf')),
  size_bytes  int NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  sha256      text NOT NULL,
  data        bytea NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (claim_id, n)
);
ALTER TABLE claim_evidence ALTER COLUMN data SET STORAGE EXTERNAL;

-- Every state change of a claim, who made it and when; append-only.
CREATE TABLE claim_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  claim_id   bigint NOT NULL REFERENCES claims,
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL CHECK (actor ~ '^(customer:[0-9]+|admin(:[A-Za-z0-9._@+-]{1,64})?|system)$'),
  from_state text,
  to_state   text NOT NULL,
  note       text CHECK (length(note) <= 4000),
  -- internal notes (escalations) are shown to admins only
  internal   boolean NOT NULL DEFAULT false
);
CREATE INDEX claim_events_by_claim ON claim_events (claim_id, id);

CREATE FUNCTION claim_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'claim_events is append-only';
END $$;
CREATE TRIGGER claim_events_append_only BEFORE UPDATE OR DELETE ON claim_events
  FOR EACH ROW EXECUTE FUNCTION claim_events_append_only();

-- Abuse controls: thresholds per signal, changed by admins at run time (every pod reads the same row).
--   cancels:      threshold = cancels per account within window
--   refund_ratio: ratio = cancels / purchases within window, threshold = minimum purchases before the ratio counts
--   shared_ip:    threshold = distinct accounts buying from one client IP within window
CREATE TABLE abuse_settings (
  signal     text PRIMARY KEY CHECK (signal IN ('cancels', 'refund_ratio', 'shared_ip')),
  enabled    boolean NOT NULL,
  threshold  int NOT NULL CHECK (threshold BETWEEN 1 AND 1000000),
  ratio      numeric(4, 3) CHECK (ratio > 0 AND ratio <= 1),
  window_ms  bigint NOT NULL CHECK (window_ms BETWEEN 1000 AND 604800000),
  action     text NOT NULL CHECK (action IN ('flag', 'throttle', 'suspend')),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL DEFAULT 'migration',
  CHECK ((signal = 'refund_ratio') = (ratio IS NOT NULL))
);
INSERT INTO abuse_settings (signal, enabled, threshold, ratio, window_ms, action) VALUES
  ('cancels', true, 30, NULL, 600000, 'flag'),
  ('refund_ratio', true, 20, 0.900, 3600000, 'flag'),
  ('shared_ip', false, 5, NULL, 86400000, 'flag');

-- The plan a throttled account is moved to.
INSERT INTO plans (name, requests_per_second, burst) VALUES ('throttled', 1, 10) ON CONFLICT (name) DO NOTHING;

-- A signal that tripped, with what was observed; one open flag per account and signal (later trips refresh it).
CREATE TABLE abuse_flags (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id      bigint NOT NULL REFERENCES accounts,
  signal          text NOT NULL CHECK (signal IN ('cancels', 'refund_ratio', 'shared_ip')),
  observed        text NOT NULL,
  evidence        jsonb NOT NULL,
  action          text NOT NULL CHECK (action IN ('flag', 'throttle', 'suspend')),
  first_seen_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  resolved_by     text,
  resolution_note text
);
CREATE UNIQUE INDEX abuse_one_open_flag ON abuse_flags (account_id, signal) WHERE resolved_at IS NULL;
CREATE INDEX abuse_flags_recent ON abuse_flags (id DESC);
