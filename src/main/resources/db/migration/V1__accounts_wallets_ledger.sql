-- Accounts, API keys, wallets and the append-only ledger.
-- Money is bigint micro-USD everywhere (1 USD = 1,000,000).

CREATE TABLE accounts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'terminated')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 of each key is stored; the key itself is shown once at creation.
CREATE TABLE api_keys (
  key_hash   bytea PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX api_keys_account ON api_keys (account_id);

-- balance: spendable; held: reserved by open orders. Both are caches of the ledger sums.
CREATE TABLE wallets (
  account_id bigint PRIMARY KEY REFERENCES accounts,
  balance    bigint NOT NULL DEFAULT 0 CHECK (balance >= 0),
  held       bigint NOT NULL DEFAULT 0 CHECK (held >= 0)
);

-- One id space for every kind of order (activations now, rentals later).
CREATE SEQUENCE order_ids START WITH 100000001;

-- Every change to a wallet is one row here, never updated or deleted.
--   deposit: balance +x            hold:    balance -p, held +p
--   void:    balance +p, held -p   capture: held -p (the price becomes revenue)
CREATE TABLE ledger_entries (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id    bigint NOT NULL REFERENCES accounts,
  order_id      bigint,
  kind          text NOT NULL CHECK (kind IN ('deposit', 'hold', 'void', 'capture')),
  balance_delta bigint NOT NULL,
  held_delta    bigint NOT NULL,
  reference     text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'deposit' OR (reference IS NOT NULL AND order_id IS NULL AND balance_delta > 0 AND held_delta = 0)),
  CHECK (kind = 'deposit' OR order_id IS NOT NULL),
  CHECK (kind <> 'hold' OR (balance_delta < 0 AND held_delta = -balance_delta)),
  CHECK (kind <> 'void' OR (balance_delta > 0 AND held_delta = -balance_delta)),
  CHECK (kind <> 'capture' OR (balance_delta = 0 AND held_delta < 0))
);
-- An order has one hold and at most one resolution (void or capture): the second guard of
-- "refunded exactly once", beside the order's own state transition.
CREATE UNIQUE INDEX ledger_one_entry_per_kind ON ledger_entries (order_id, kind) WHERE order_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_one_resolution ON ledger_entries (order_id) WHERE kind IN ('void', 'capture');
-- A top-up is credited once per external reference.
CREATE UNIQUE INDEX ledger_deposit_once ON ledger_entries (reference) WHERE kind = 'deposit';
CREATE INDEX ledger_by_account ON ledger_entries (account_id, id DESC);

CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entries is append-only';
END $$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
