-- Operators as people: one row per person who runs the platform from the console, with a role that decides what
-- they may do. Only a memory-hard hash of the password is stored (the hash names its own algorithm and parameters).
CREATE TABLE staff (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL CHECK (email ~ '^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,190}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role          text NOT NULL CHECK (role IN ('support', 'senior_support', 'finance', 'admin')),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);
CREATE UNIQUE INDEX staff_email ON staff (lower(email));

-- Decisions whose own rows have no "who" column (suspensions, terminations, outages, suppliers): who decided what,
-- when. Append-only. Actors: 'token' or 'token:<name>' (the shared admin token, with the X-Admin-Actor header's
-- name), 'staff:<email>' (a person logged in to the console).
CREATE TABLE admin_decisions (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL CHECK (actor ~ '^(token(:[A-Za-z0-9._@+-]{1,64})?|staff:[A-Za-z0-9._@+-]{1,255})$'),
  action  text NOT NULL CHECK (action ~ '^[a-z_.]{1,60}$'),
  subject text NOT NULL CHECK (length(subject) <= 100),
  note    text CHECK (length(note) <= 4000)
);
CREATE INDEX admin_decisions_by_subject ON admin_decisions (subject, id DESC);

CREATE FUNCTION admin_decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_decisions is append-only';
END $$;
CREATE TRIGGER admin_decisions_append_only BEFORE UPDATE OR DELETE ON admin_decisions
  FOR EACH ROW EXECUTE FUNCTION admin_decisions_append_only();

-- Claim history names the shared token ('token', 'token:<name>') or a person ('staff:<email>'); rows written before
-- keep their 'admin' and 'admin:<name>'.
ALTER TABLE claim_events DROP CONSTRAINT claim_events_actor_check;
ALTER TABLE claim_events ADD CONSTRAINT claim_events_actor_check CHECK (actor ~
  '^(customer:[0-9]+|admin(:[A-Za-z0-9._@+-]{1,64})?|token(:[A-Za-z0-9._@+-]{1,64})?|staff:[A-Za-z0-9._@+-]{1,255}|system)$');

-- Operators find an account by the start of its API key: the first 8 characters are kept beside the hash of new keys
-- (8 of 32 characters say nothing useful to an attacker and are what support is read over the phone).
ALTER TABLE api_keys ADD COLUMN key_prefix text CHECK (key_prefix IS NULL OR length(key_prefix) = 8);
CREATE INDEX api_keys_prefix ON api_keys (key_prefix text_pattern_ops) WHERE key_prefix IS NOT NULL;

-- Operators find an order by the phone number a customer reads out.
CREATE INDEX activations_by_phone ON activations (phone) WHERE phone IS NOT NULL;
CREATE INDEX rentals_by_phone ON rentals (phone) WHERE phone IS NOT NULL;
