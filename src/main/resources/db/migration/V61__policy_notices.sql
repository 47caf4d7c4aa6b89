-- Notices of a change of the policy in force (docs/policies.md, "Customers read their policy"): one row each time a
-- different policy version starts applying to new orders (an operator puts a policy in force, or publishes a new
-- version of the policy in force). previous_id chains them: two pods recording the same change at once cannot both
-- insert (the unique index), so each change is noticed once. The statement that records a notice also writes a
-- policy.changed webhook event for every account with a webhook URL.
CREATE TABLE policy_notices (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  previous_id bigint REFERENCES policy_notices,
  policy_id   text NOT NULL,
  version     int NOT NULL,
  set_by      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (policy_id, version) REFERENCES refund_policies (policy_id, version)
);
CREATE UNIQUE INDEX policy_notices_chain ON policy_notices ((COALESCE(previous_id, 0)));
