-- Activation lifecycle (docs/activations.md):
--   ALLOCATING -> WAITING_CODE -> CODE_RECEIVED <-> WAITING_RETRY -> FINISHED (captured)
--   ALLOCATING -> FAILED (voided); WAITING_CODE -> CANCELLED | EXPIRED (voided)
-- upstream_state tracks closing the order with the supplier, separately from the customer's money.
CREATE TABLE activations (
  id                     bigint PRIMARY KEY DEFAULT nextval('order_ids'),
  account_id             bigint NOT NULL REFERENCES accounts,
  service                text NOT NULL,
  country                int NOT NULL,
  provider_id            text NOT NULL REFERENCES providers,
  price                  bigint NOT NULL CHECK (price > 0),
  cost                   bigint NOT NULL DEFAULT 0 CHECK (cost >= 0),
  state                  text NOT NULL CHECK (state IN ('ALLOCATING', 'WAITING_CODE', 'CODE_RECEIVED',
                           'WAITING_RETRY', 'FINISHED', 'CANCELLED', 'EXPIRED', 'FAILED')),
  phone                  text,
  provider_activation_id text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  expires_at             timestamptz NOT NULL,
  cancellable_at         timestamptz NOT NULL,
  closed_at              timestamptz,
  close_reason           text,
  upstream_state         text NOT NULL DEFAULT 'NONE' CHECK (upstream_state IN
                           ('NONE', 'OPEN', 'CLOSING', 'CLOSED', 'REFUSED', 'UNKNOWN', 'RECONCILED')),
  upstream_attempts      int NOT NULL DEFAULT 0,
  upstream_next_at       timestamptz,
  upstream_note          text,
  CHECK ((state IN ('FINISHED', 'CANCELLED', 'EXPIRED', 'FAILED')) = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX activations_provider_ref ON activations (provider_id, provider_activation_id)
  WHERE provider_activation_id IS NOT NULL;
-- The timer safety net: open orders by deadline.
CREATE INDEX activations_open_by_deadline ON activations (expires_at)
  WHERE state IN ('ALLOCATING', 'WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY');
CREATE INDEX activations_open_by_phone ON activations (provider_id, phone)
  WHERE state IN ('WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY');
CREATE INDEX activations_upstream_due ON activations (upstream_next_at) WHERE upstream_state = 'CLOSING';
CREATE INDEX activations_upstream_unknown ON activations (provider_id) WHERE upstream_state = 'UNKNOWN';
CREATE INDEX activations_by_account ON activations (account_id, id DESC);
ALTER TABLE activations SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

-- Every SMS delivered to an order, at most once per supplier SMS id (or content hash).
CREATE TABLE activation_sms (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  activation_id bigint NOT NULL REFERENCES activations,
  dedupe_key    text NOT NULL,
  sender        text,
  text          text NOT NULL,
  code          text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (activation_id, dedupe_key)
);

-- Idempotency-Key records (IETF draft / Stripe): one row per (account, key), kept >= 24 h.
CREATE TABLE idempotency_keys (
  account_id    bigint NOT NULL REFERENCES accounts,
  key           text NOT NULL,
  request_hash  bytea NOT NULL,
  status        int,
  response      text,
  locked_until  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
