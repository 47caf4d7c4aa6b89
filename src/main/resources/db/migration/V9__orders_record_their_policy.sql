-- Orders record the refund policy version they were bought under (docs/policies.md). The version in force for a new
-- order is chosen inside the purchase statement itself, from the view policy_current, so every pod agrees exactly on
-- which version an order got: the instant a version is published, the next purchase statement sees it.

-- The parts of a policy the purchase statements need, extracted by PolicyLoader at publish time (the document stays
-- the authority; these columns only save parsing YAML in SQL). Adding columns is DDL: the immutability trigger
-- (row UPDATE/DELETE) is not involved.
ALTER TABLE refund_policies
  ADD COLUMN activation_window_ms bigint CHECK (activation_window_ms > 0),   -- NULL: the platform's own window
  ADD COLUMN cancel_not_before_ms bigint NOT NULL DEFAULT 0 CHECK (cancel_not_before_ms >= 0),
  ADD COLUMN rental_cancel_window_ms bigint CHECK (rental_cancel_window_ms > 0);

-- Which policy document is in force for new orders: the newest row wins, and of that document its newest version.
-- Append-only, so the history of what was in force when is kept.
CREATE TABLE policy_in_force (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  policy_id text NOT NULL,
  set_at    timestamptz NOT NULL DEFAULT now(),
  set_by    text NOT NULL
);

CREATE FUNCTION policy_in_force_known() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM refund_policies WHERE policy_id = NEW.policy_id) THEN
    RAISE EXCEPTION 'no published version of policy %', NEW.policy_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER policy_in_force_known BEFORE INSERT ON policy_in_force
  FOR EACH ROW EXECUTE FUNCTION policy_in_force_known();
CREATE TRIGGER policy_in_force_no_update BEFORE UPDATE OR DELETE ON policy_in_force
  FOR EACH ROW EXECUTE FUNCTION refund_policies_immutable();

CREATE VIEW policy_current AS
  SELECT p.policy_id, p.version, p.activation_window_ms, p.cancel_not_before_ms, p.rental_cancel_window_ms
    FROM refund_policies p
   WHERE p.policy_id = (SELECT f.policy_id FROM policy_in_force f ORDER BY f.id DESC LIMIT 1)
   ORDER BY p.version DESC
   LIMIT 1;

-- NULL only for orders bought before this migration: they are judged by the platform's default policy.
ALTER TABLE activations
  ADD COLUMN policy_id text,
  ADD COLUMN policy_version int,
  ADD CONSTRAINT activations_policy FOREIGN KEY (policy_id, policy_version) REFERENCES refund_policies (policy_id, version),
  ADD CONSTRAINT activations_policy_both CHECK ((policy_id IS NULL) = (policy_version IS NULL));
