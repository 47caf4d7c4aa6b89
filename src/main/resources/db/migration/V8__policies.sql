-- Refund policies (docs/policies.md): one row per published version of a policy document. A published
-- version is immutable -- orders bought under it keep being judged by it -- so rows may be inserted but
-- never updated or deleted; a change is a new version. Orders are not linked yet: the lifecycle wiring
-- (activations.policy_id/policy_version) comes in a later migration.
CREATE TABLE refund_policies (
  policy_id       text NOT NULL CHECK (policy_id ~ '^[a-z][a-z0-9_]*$'),
  version         int NOT NULL CHECK (version >= 1),
  document        text NOT NULL,            -- the YAML as published, validated by PolicyLoader before insert
  document_sha256 text NOT NULL CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
  published_at    timestamptz NOT NULL DEFAULT now(),
  published_by    text NOT NULL,
  PRIMARY KEY (policy_id, version)
);

CREATE FUNCTION refund_policies_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'refund policy %/% is published and immutable; publish a new version instead',
    OLD.policy_id, OLD.version USING ERRCODE = 'raise_exception';
END;
$$;

CREATE TRIGGER refund_policies_no_update BEFORE UPDATE OR DELETE ON refund_policies
  FOR EACH ROW EXECUTE FUNCTION refund_policies_immutable();
