-- The rental lengths a supplier sells, per rent offer (issue 5: "an allowed set per provider"): NULL sells any length
-- inside the policy's bounds; otherwise only these hour counts (sms-activate sells 4 h, 12 h, 24 h, 72 h, a week...).
-- An extension is not bound by the set: it adds hours at the rental's own hourly price, up to the policy's longest.
ALTER TABLE rent_offers ADD COLUMN allowed_hours int[]
  CHECK (allowed_hours IS NULL OR (cardinality(allowed_hours) BETWEEN 1 AND 50 AND 0 < ALL (allowed_hours)));
