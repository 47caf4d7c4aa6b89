-- Per-account request rate limits come from the account's plan (token bucket: a steady rate and a burst).
CREATE TABLE plans (
  name                text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  requests_per_second int NOT NULL CHECK (requests_per_second BETWEEN 1 AND 100000),
  burst               int NOT NULL CHECK (burst BETWEEN 1 AND 1000000)
);
INSERT INTO plans (name, requests_per_second, burst) VALUES ('standard', 50, 200), ('bulk', 2000, 5000);

ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'standard' REFERENCES plans;
