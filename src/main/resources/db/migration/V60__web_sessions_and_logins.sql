-- The web consoles (/app for customers, /console for operators).
--
-- A browser session: only a SHA-256 of its cookie token is stored, so a copy of this table logs nobody in. Any pod
-- reads it (pods keep no session state); logout deletes the row, and expired rows are purged after timer sweeps.
CREATE TABLE web_sessions (
  token_hash bytea PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('customer', 'operator')),
  subject_id bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);
CREATE INDEX web_sessions_subject ON web_sessions (kind, subject_id);

-- A customer's console login: an email and an Argon2id hash (PHC string) of the password. The API key logs in too.
CREATE TABLE account_logins (
  account_id    bigint PRIMARY KEY REFERENCES accounts,
  email         text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  password_hash text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_logins_email ON account_logins (lower(email));
