-- Routing across suppliers, supplier outages, and the 5sim protocol (README, "Routing, breakers and outages").

-- 5sim joins the protocols we speak.
ALTER TABLE providers DROP CONSTRAINT providers_protocol_check;
ALTER TABLE providers ADD CONSTRAINT providers_protocol_check CHECK (protocol IN ('smshub', 'sms-activate', 'fivesim'));

-- At most this many live orders (holding a number) per supplier; null: no limit of ours. Routing
-- skips a supplier at its limit; the supplier's own CHANNELS_LIMIT answer is treated the same way.
ALTER TABLE providers ADD COLUMN channels_limit int CHECK (channels_limit IS NULL OR channels_limit > 0);

-- The suppliers an order was offered to before the one it holds (provider_id), in order, each as
-- '<provider>:<why it passed>' (NO_NUMBERS, the refusal token). Empty for the usual first-try order.
ALTER TABLE activations ADD COLUMN route_attempts text[] NOT NULL DEFAULT '{}';

-- An outage: a scope (any combination of provider, service and country; none of them = the whole
-- platform) and a time range. SUSPECTED rows come from an open circuit breaker and wait for an
-- admin; REFUNDING rows are being refunded by a job (lease + progress here; PostgreSQL is the truth);
-- DONE and DISMISSED are final.
CREATE TABLE outages (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider_id   text REFERENCES providers,
  service       text REFERENCES services,
  country       int REFERENCES countries,
  platform_wide boolean NOT NULL DEFAULT false,
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz CHECK (ends_at IS NULL OR ends_at > starts_at),
  state         text NOT NULL CHECK (state IN ('SUSPECTED', 'REFUNDING', 'DONE', 'DISMISSED')),
  source        text NOT NULL CHECK (source IN ('admin', 'breaker')),
  reason        text CHECK (reason IS NULL OR length(reason) <= 500),
  refunded      int NOT NULL DEFAULT 0 CHECK (refunded >= 0),
  batches       int NOT NULL DEFAULT 0 CHECK (batches >= 0),
  lease_until   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  confirmed_at  timestamptz,
  finished_at   timestamptz,
  CHECK (platform_wide = (provider_id IS NULL AND service IS NULL AND country IS NULL)),
  CHECK ((state = 'SUSPECTED') = (confirmed_at IS NULL) OR state = 'DISMISSED'),
  CHECK ((state IN ('DONE', 'DISMISSED')) = (finished_at IS NOT NULL))
);
-- One open suspicion per supplier: a breaker that opens again while one waits adds nothing.
CREATE UNIQUE INDEX outages_one_suspected_per_provider ON outages (provider_id) WHERE state = 'SUSPECTED';
CREATE INDEX outages_refunding ON outages (id) WHERE state = 'REFUNDING';
-- The refund job scans orders still waiting for a code, by id.
CREATE INDEX activations_waiting_code ON activations (id) WHERE state = 'WAITING_CODE';

-- Customers learn of a refund by outage through their webhook (transactional outbox, like SMS).
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_type_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_type_check CHECK (type IN ('activation.sms', 'rental.sms', 'activation.refunded'));
-- One refund event per order.
CREATE UNIQUE INDEX webhook_events_one_refund ON webhook_events (order_id) WHERE type = 'activation.refunded';
