-- Rentals (issue 5): a number kept for hours to weeks, receiving SMS from any service (service IS NULL, the protocol's
-- "full") or from the one service it was bought for.
--
-- Lifecycle:  ALLOCATING --number given--> ACTIVE --finish / end--> FINISHED | ENDED   (captured)
--                 |                          | cancel inside the cancel window          (voided)
--                 v                          v
--              FAILED (voided)            CANCELLED
--
-- Money (README "Rentals"): the price is HELD at purchase and stays held while the rental is open. Cancelling inside the
-- policy's cancel window voids it (full refund); finishing early or reaching the end captures it. An extension is its
-- own order in the ledger: it draws an id from order_ids, holds its price when bought, and is resolved by the same
-- statement and in the same way (void or capture) as its rental. So every ledger order id still has exactly one hold and
-- at most one resolution (ledger_one_entry_per_kind, ledger_one_resolution), and no new ledger kind is needed.

-- What a rental costs: per hour, per supplier, country and service ('full' = any service). An admin putting a rent
-- offer for a supplier also declares that supplier able to rent (the adapter must support it too).
CREATE TABLE rent_offers (
  provider_id  text NOT NULL REFERENCES providers,
  country      int NOT NULL REFERENCES countries,
  service      text NOT NULL CHECK (service ~ '^[a-z0-9_]{1,20}$'),   -- a services.code, or 'full'
  hourly_price bigint NOT NULL CHECK (hourly_price > 0),
  hourly_cost  bigint NOT NULL DEFAULT 0 CHECK (hourly_cost >= 0),
  stock        int NOT NULL DEFAULT 0 CHECK (stock >= 0),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider_id, country, service)
);
CREATE INDEX rent_offers_by_target ON rent_offers (country, service);

CREATE TABLE rentals (
  id                   bigint PRIMARY KEY DEFAULT nextval('order_ids'),
  account_id           bigint NOT NULL REFERENCES accounts,
  service              text,                          -- NULL: SMS from any service
  country              int NOT NULL,
  provider_id          text NOT NULL REFERENCES providers,
  hours                int NOT NULL CHECK (hours > 0),        -- bought hours, extensions included
  hourly_price         bigint NOT NULL CHECK (hourly_price > 0),  -- fixed at purchase; extensions pay it too
  price                bigint NOT NULL CHECK (price > 0),     -- the purchase's own hold (extensions hold their own)
  cost                 bigint NOT NULL DEFAULT 0 CHECK (cost >= 0),
  state                text NOT NULL CHECK (state IN ('ALLOCATING', 'ACTIVE', 'FINISHED', 'ENDED', 'CANCELLED', 'FAILED')),
  phone                text,
  provider_rental_id   text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  starts_at            timestamptz,                   -- when the supplier gave the number
  ends_at              timestamptz NOT NULL,          -- ALLOCATING: the allocation watchdog; ACTIVE: the rental's end
  cancel_until         timestamptz NOT NULL,          -- refund by cancelling while now() < cancel_until (half-open)
  closed_at            timestamptz,
  close_reason         text,
  webhook_url          text CHECK (webhook_url IS NULL OR length(webhook_url) BETWEEN 8 AND 2048),
  policy_id            text,
  policy_version       int,
  upstream_state       text NOT NULL DEFAULT 'NONE' CHECK (upstream_state IN
                         ('NONE', 'OPEN', 'CLOSING', 'CLOSED', 'REFUSED', 'UNKNOWN', 'RECONCILED')),
  upstream_attempts    int NOT NULL DEFAULT 0,
  upstream_next_at     timestamptz,
  upstream_note        text,
  FOREIGN KEY (policy_id, policy_version) REFERENCES refund_policies (policy_id, version),
  CHECK ((policy_id IS NULL) = (policy_version IS NULL)),
  CHECK ((state IN ('FINISHED', 'ENDED', 'CANCELLED', 'FAILED')) = (closed_at IS NOT NULL)),
  CHECK (state = 'ALLOCATING' OR state = 'FAILED' OR (phone IS NOT NULL AND starts_at IS NOT NULL))
);
CREATE UNIQUE INDEX rentals_provider_ref ON rentals (provider_id, provider_rental_id) WHERE provider_rental_id IS NOT NULL;
-- The timer safety net and SMS routing.
CREATE INDEX rentals_open_by_end ON rentals (ends_at) WHERE state IN ('ALLOCATING', 'ACTIVE');
CREATE INDEX rentals_active_by_phone ON rentals (provider_id, phone) WHERE state = 'ACTIVE';
CREATE INDEX rentals_upstream_due ON rentals (upstream_next_at) WHERE upstream_state = 'CLOSING';
CREATE INDEX rentals_by_account ON rentals (account_id, id DESC);

-- Each extension, priced and recorded; its id is its order id in the ledger.
CREATE TABLE rental_extensions (
  id          bigint PRIMARY KEY DEFAULT nextval('order_ids'),
  rental_id   bigint NOT NULL REFERENCES rentals,
  account_id  bigint NOT NULL REFERENCES accounts,
  hours       int NOT NULL CHECK (hours > 0),
  price       bigint NOT NULL CHECK (price > 0),
  ends_at     timestamptz NOT NULL,                   -- the rental's end after this extension
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rental_extensions_by_rental ON rental_extensions (rental_id);

CREATE TABLE rental_sms (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rental_id   bigint NOT NULL REFERENCES rentals,
  dedupe_key  text NOT NULL,
  sender      text,
  text        text NOT NULL,
  code        text,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rental_id, dedupe_key)
);

-- Silent disconnections and other trouble found on a rental without the customer asking: the supplier reported the
-- number dead (close or poll outcome, or the sandbox's admin route), ... One row per (rental, kind). The claims queue
-- (V11, another branch) will pick these up: the lead links them at merge (README "Rentals", gaps).
CREATE TABLE rental_incidents (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rental_id   bigint NOT NULL REFERENCES rentals,
  account_id  bigint NOT NULL REFERENCES accounts,
  kind        text NOT NULL CHECK (kind IN ('NUMBER_DEAD', 'CLOSE_REFUSED', 'SILENT_WHILE_UNHEALTHY')),
  detected_at timestamptz NOT NULL DEFAULT now(),
  evidence    text NOT NULL CHECK (length(evidence) BETWEEN 1 AND 2000),
  UNIQUE (rental_id, kind)
);
CREATE INDEX rental_incidents_recent ON rental_incidents (detected_at DESC);

-- Webhook events of rentals use the same outbox. Their order is a rental, so the foreign key to activations goes;
-- each event still names its SMS row in one of the two SMS tables, and one event per SMS stays unique per order.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_order_id_fkey;
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_sms_id_fkey;
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_type_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_type_check CHECK (type IN ('activation.sms', 'rental.sms'));
