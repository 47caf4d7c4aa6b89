-- A suspension may end on its own: until then the account may read but not order. A suspension
-- without an end lasts until an operator lifts it. sms-activate compatible clients are told the end
-- in BANNED:'Y-m-d H-i-s'.
ALTER TABLE accounts ADD COLUMN suspended_until timestamptz;
ALTER TABLE accounts ADD CONSTRAINT accounts_until_only_when_suspended
  CHECK (suspended_until IS NULL OR status = 'suspended');
