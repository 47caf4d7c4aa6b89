-- Delivery rates (docs/routing-and-outages.md, "Delivery rates"): orders that received a code / orders that ended, per
-- service, country and supplier, over a rolling window, kept incrementally from real outcomes.
--
-- A job folds the orders closed since its watermark into hourly buckets (delivery_hours), then re-sums the buckets
-- inside the window into delivery_rates, the one row per (service, country, supplier) that routing and the catalogue
-- read. Neither the purchase nor the expiry statement writes here: the only cost on the hot paths is the index below.

-- The job reads closes by time; one more index entry per order closed.
CREATE INDEX activations_closed_at ON activations (closed_at) WHERE closed_at IS NOT NULL;

CREATE TABLE delivery_hours (
  service     text NOT NULL,
  country     int NOT NULL,
  provider_id text NOT NULL,
  hour        timestamptz NOT NULL,
  delivered   int NOT NULL DEFAULT 0 CHECK (delivered >= 0),
  ended       int NOT NULL DEFAULT 0 CHECK (ended >= delivered),
  PRIMARY KEY (service, country, provider_id, hour)
);
CREATE INDEX delivery_hours_by_hour ON delivery_hours (hour);

CREATE TABLE delivery_rates (
  service     text NOT NULL,
  country     int NOT NULL,
  provider_id text NOT NULL,
  delivered   bigint NOT NULL CHECK (delivered >= 0),
  ended       bigint NOT NULL CHECK (ended >= delivered),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service, country, provider_id)
);

-- Orders closed up to closed_until are in the buckets. One row; the job locks it, so two nodes never fold twice.
CREATE TABLE delivery_watermark (
  id           int PRIMARY KEY CHECK (id = 1),
  closed_until timestamptz NOT NULL
);
INSERT INTO delivery_watermark (id, closed_until) VALUES (1, now() - interval '7 days');

-- Operators as suppliers report them in their stock (SMSHub operatorMap, 5sim operators), per country, replaced on
-- every stock refresh: what the compatible API's getOperators lists.
CREATE TABLE supplier_operators (
  provider_id text NOT NULL REFERENCES providers ON DELETE CASCADE,
  country     int NOT NULL,
  operator    text NOT NULL CHECK (length(operator) BETWEEN 1 AND 50),
  stock       int NOT NULL CHECK (stock >= 0),
  PRIMARY KEY (provider_id, country, operator)
);
