-- Wallet operations (issue 4): new ledger entry kinds and the payout workflow. Every kind moves money in one
-- direction only, fixed by a CHECK, so the ledger explains each balance without reading any other table.
--   refund:         balance +p      a captured order's price returned by an approved claim (once per order)
--   service_credit: balance +x      an operator's credit for an outage, tied to one order, x <= its price (once per order)
--   payout:         balance -x      money sent out to the customer when leaving, after an admin approved the request
--   forfeit:        balance -x      the remaining balance of an account terminated for a violation
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('deposit', 'hold', 'void', 'capture', 'refund', 'service_credit', 'payout', 'forfeit'));
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_check1;   -- was: kind = 'deposit' OR order_id IS NOT NULL
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_order_kinds
  CHECK ((kind IN ('deposit', 'payout', 'forfeit')) = (order_id IS NULL));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_refund
  CHECK (kind NOT IN ('refund', 'service_credit') OR (balance_delta > 0 AND held_delta = 0));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_outflow
  CHECK (kind NOT IN ('payout', 'forfeit') OR (reference IS NOT NULL AND balance_delta < 0 AND held_delta = 0));
-- The one-entry-per-(order, kind) index already makes a claim refund and a service credit once per order.
CREATE UNIQUE INDEX ledger_outflow_once ON ledger_entries (reference) WHERE kind IN ('payout', 'forfeit');
CREATE INDEX ledger_by_order ON ledger_entries (order_id) WHERE order_id IS NOT NULL;

-- Why a service credit was granted: one row per grant, its ledger entries reference it.
CREATE TABLE service_credits (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  outage_ref  text,
  granted_by  text NOT NULL,
  granted_at  timestamptz NOT NULL DEFAULT now()
);

-- A customer leaving the platform asks for the balance to be paid out; an admin approves (the ledger entry is
-- written in the same statement) or rejects. One open request per account at a time.
CREATE TABLE payout_requests (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id   bigint NOT NULL REFERENCES accounts,
  amount       bigint NOT NULL CHECK (amount > 0),
  destination  text NOT NULL CHECK (length(destination) BETWEEN 1 AND 200),
  state        text NOT NULL DEFAULT 'REQUESTED' CHECK (state IN ('REQUESTED', 'APPROVED', 'REJECTED')),
  policy_id    text NOT NULL,
  policy_version int NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_at   timestamptz,
  decided_by   text,
  decision_note text,
  FOREIGN KEY (policy_id, policy_version) REFERENCES refund_policies (policy_id, version),
  CHECK ((state = 'REQUESTED') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX payout_one_open_per_account ON payout_requests (account_id) WHERE state = 'REQUESTED';
CREATE INDEX payout_requests_open ON payout_requests (requested_at) WHERE state = 'REQUESTED';

-- Extracted at publish like the V9 columns: the policy's payout minimum in micro-USD (NULL: none stated), and whether
-- cancelling before any SMS refunds (autoRefunds cancel_before_sms). When it does not, the customer cannot cancel
-- before the window ends, and the refund comes by itself at the end (esimpy, instaotp; docs/policies.md).
ALTER TABLE refund_policies
  ADD COLUMN payout_minimum bigint CHECK (payout_minimum > 0),
  ADD COLUMN cancel_refunds boolean NOT NULL DEFAULT true;

-- Why and when an account was terminated; the forfeit of its balance is a ledger entry written in the same statement.
ALTER TABLE accounts ADD COLUMN terminated_at timestamptz, ADD COLUMN termination_reason text;
