-- Webhooks to customers: signed POSTs of every SMS delivered to an order, at least once, retried.
-- Transactional outbox: an event row is written by the same statement that stores the SMS, so an
-- event exists if and only if the SMS was stored; delivery happens after the commit, on the timer
-- engine (TimerKind.WEBHOOK, member "w:<event id>"). No money is involved anywhere here.

-- One row per account that set a URL or asked for a signing secret. The secret signs every event
-- of the account, including those sent to per-order URLs, so it outlives DELETE /v1/webhook.
-- It is stored in clear because HMAC needs it; it is shown to the account's own API key only.
CREATE TABLE account_webhooks (
  account_id bigint PRIMARY KEY REFERENCES accounts,
  url        text CHECK (url IS NULL OR length(url) BETWEEN 8 AND 2048),
  secret     text NOT NULL CHECK (length(secret) BETWEEN 32 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Per-order URL (POST /v1/activations "webhookUrl"): when set it replaces the account's URL for this order.
ALTER TABLE activations ADD COLUMN webhook_url text CHECK (webhook_url IS NULL OR length(webhook_url) BETWEEN 8 AND 2048);

-- Explicit sequence: the SMS statement draws the id first so the payload can carry its own eventId.
CREATE SEQUENCE webhook_event_ids;

CREATE TABLE webhook_events (
  id              bigint PRIMARY KEY DEFAULT nextval('webhook_event_ids'),
  account_id      bigint NOT NULL REFERENCES accounts,
  order_id        bigint NOT NULL REFERENCES activations,
  sms_id          bigint REFERENCES activation_sms,
  type            text NOT NULL CHECK (type IN ('activation.sms')),
  url             text NOT NULL,          -- chosen when the event is created: the order's URL, else the account's
  payload         text NOT NULL,          -- the exact body sent on every attempt (same bytes, same signature input)
  state           text NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED')),
  attempts        int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz,            -- PENDING: when to try next (pushed forward while an attempt is in flight)
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  CHECK ((state = 'PENDING') = (next_attempt_at IS NOT NULL)),
  CHECK ((state = 'PENDING') = (finished_at IS NULL))
);
-- One event per SMS of an order: a repeated delivery of the same SMS can never make a second one.
CREATE UNIQUE INDEX webhook_events_one_per_sms ON webhook_events (order_id, sms_id) WHERE sms_id IS NOT NULL;
-- The timer safety net: pending events by due time, and by id for re-seeding Redis.
CREATE INDEX webhook_events_pending_due ON webhook_events (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_events_pending_id ON webhook_events (id) WHERE state = 'PENDING';
CREATE INDEX webhook_events_finished ON webhook_events (finished_at) WHERE state <> 'PENDING';

-- Every attempt, successful or not, for the customer's delivery log (GET /v1/webhooks/deliveries).
CREATE TABLE webhook_deliveries (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id     bigint NOT NULL REFERENCES webhook_events ON DELETE CASCADE,
  account_id   bigint NOT NULL REFERENCES accounts,
  order_id     bigint NOT NULL,
  attempt      int NOT NULL CHECK (attempt >= 1),
  url          text NOT NULL,
  status_code  int,                       -- null when no HTTP answer came (timeout, refused, TLS...)
  error        text,                      -- null on a 2xx
  duration_ms  int NOT NULL CHECK (duration_ms >= 0),
  attempted_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, attempt)
);
CREATE INDEX webhook_deliveries_by_account ON webhook_deliveries (account_id, id DESC);
