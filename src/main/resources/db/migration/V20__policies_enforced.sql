-- Every published policy enforced exactly (issue 11; docs/policies.md, docs/money.md, docs/claims.md, docs/rentals.md).

-- A terminated account forfeits every credit in the statement that credits it: its wallet is flagged, and the ledger's
-- posting fragments write a forfeit entry beside each credit to a flagged wallet, so its balance stays 0.
ALTER TABLE wallets ADD COLUMN forfeits_credits boolean NOT NULL DEFAULT false;
-- Terminations made before this migration: what reached them afterwards is forfeited now, and their wallets flagged.
INSERT INTO ledger_entries (account_id, kind, balance_delta, held_delta, reference)
SELECT w.account_id, 'forfeit', -w.balance, 0, 'forfeit:' || w.account_id || ':v20'
  FROM wallets w JOIN accounts a ON a.id = w.account_id
 WHERE a.status = 'terminated' AND w.balance > 0;
UPDATE wallets w SET balance = 0, forfeits_credits = true
  FROM accounts a WHERE a.id = w.account_id AND a.status = 'terminated';

-- Two new ledger kinds, each still one-way:
--   partial_void: balance +u, held -p, 0 < u < p   an open order resolved with the unused part of its price returned
--                                                  (a rental refunded pro rata); the rest is revenue, like a capture
--   adjustment:   balance +-x, no order            an admin's correction of an account claim (a deposit or billing
--                                                  problem), recorded with its reason on the claim, once per claim
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('deposit', 'hold', 'void', 'capture', 'refund', 'service_credit', 'payout', 'forfeit', 'partial_void',
                  'adjustment'));
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_order_kinds;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_order_kinds
  CHECK ((kind IN ('deposit', 'payout', 'forfeit', 'adjustment')) = (order_id IS NULL));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_partial_void
  CHECK (kind <> 'partial_void' OR (balance_delta > 0 AND held_delta < 0 AND balance_delta < -held_delta));
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_adjustment
  CHECK (kind <> 'adjustment' OR (reference IS NOT NULL AND balance_delta <> 0 AND held_delta = 0));
-- A partial void is a resolution: still one per order.
DROP INDEX ledger_one_resolution;
CREATE UNIQUE INDEX ledger_one_resolution ON ledger_entries (order_id) WHERE kind IN ('void', 'capture', 'partial_void');
CREATE UNIQUE INDEX ledger_adjustment_once ON ledger_entries (reference) WHERE kind = 'adjustment';

-- A payout that the policy says closes the account (leaving the platform): the account is closed when it is paid.
ALTER TABLE accounts DROP CONSTRAINT accounts_status_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_status_check CHECK (status IN ('active', 'suspended', 'terminated', 'closed'));
ALTER TABLE accounts ADD COLUMN closed_at timestamptz;
ALTER TABLE payout_requests ADD COLUMN closes_account boolean NOT NULL DEFAULT false;

-- Extracted at publish like the V9/V10 columns (the document stays the authority): how a rental is refunded for each
-- automatic event ({"number_broken_upstream": "full", "platform_outage": "unused_pro_rata"}; empty: none), and whether
-- service credits are for orders of a declared outage only.
ALTER TABLE refund_policies
  ADD COLUMN rental_refunds jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN service_credits_outages_only boolean NOT NULL DEFAULT false;

-- How each order was placed: the JSON API, the sms-activate compatible API, or the web console. Orders placed before
-- this migration were all bought through the JSON or compatible API; they count as 'api'.
ALTER TABLE activations ADD COLUMN channel text NOT NULL DEFAULT 'api' CHECK (channel IN ('api', 'compat', 'web'));
ALTER TABLE rentals ADD COLUMN channel text NOT NULL DEFAULT 'api' CHECK (channel IN ('api', 'compat', 'web'));

-- A rental refunded by an automatic event (a dead number, an outage): REFUNDED, with the event that refunded it. Each of
-- its ledger orders (the rental, each extension) got a void, a partial_void or a capture by the policy's rule.
ALTER TABLE rentals DROP CONSTRAINT rentals_state_check;
ALTER TABLE rentals ADD CONSTRAINT rentals_state_check
  CHECK (state IN ('ALLOCATING', 'ACTIVE', 'FINISHED', 'ENDED', 'CANCELLED', 'FAILED', 'REFUNDED'));
ALTER TABLE rentals DROP CONSTRAINT rentals_check1;
ALTER TABLE rentals ADD CONSTRAINT rentals_closed_when_final
  CHECK ((state IN ('FINISHED', 'ENDED', 'CANCELLED', 'FAILED', 'REFUNDED')) = (closed_at IS NOT NULL));
ALTER TABLE rentals ADD COLUMN refund_event text
  CHECK (refund_event IN ('number_broken_upstream', 'platform_outage', 'allocation_failure'));
ALTER TABLE rentals ADD CONSTRAINT rentals_refund_event_when_refunded CHECK ((state = 'REFUNDED') = (refund_event IS NOT NULL));

-- Claims: account-level claims (a deposit or billing problem naming a deposit reference, no order), the customer's
-- choice of remedy where the policy gives it, and the ledger adjustment that resolves an account claim.
ALTER TABLE claims ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE claims DROP CONSTRAINT claims_order_kind_check;
ALTER TABLE claims ADD CONSTRAINT claims_order_kind_check CHECK (order_kind IN ('activation', 'rental', 'account'));
ALTER TABLE claims ADD COLUMN deposit_reference text CHECK (length(deposit_reference) BETWEEN 1 AND 200);
ALTER TABLE claims ADD CONSTRAINT claims_account_kind
  CHECK ((order_kind = 'account') = (order_id IS NULL) AND (order_kind = 'account') = (deposit_reference IS NOT NULL));
ALTER TABLE claims ADD COLUMN chosen_remedy text CHECK (chosen_remedy IN ('refund', 'replacement'));
ALTER TABLE claims DROP CONSTRAINT claims_remedy_check;
ALTER TABLE claims ADD CONSTRAINT claims_remedy_check
  CHECK (remedy IN ('refund', 'replacement', 'already_refunded', 'adjustment'));
ALTER TABLE claims ADD COLUMN adjustment_amount bigint CHECK (adjustment_amount <> 0);
ALTER TABLE claims ADD CONSTRAINT claims_adjustment_when_adjusted CHECK ((remedy = 'adjustment') = (adjustment_amount IS NOT NULL));
-- One open claim per deposit reference of an account, as there is one per order.
CREATE UNIQUE INDEX claims_one_open_per_deposit ON claims (account_id, deposit_reference)
  WHERE order_kind = 'account' AND state IN ('SUBMITTED', 'NEEDS_EVIDENCE', 'IN_REVIEW', 'ESCALATED');
CREATE INDEX claims_by_order ON claims (order_id, type) WHERE order_id IS NOT NULL;

-- A service credit granted under a declared outage names it: only the orders of its scope and time range qualify.
ALTER TABLE service_credits ADD COLUMN outage_id bigint REFERENCES outages;
