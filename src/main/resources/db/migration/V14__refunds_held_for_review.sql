-- Abuse consequence 'hold_refunds' (issue 4): while an account has an open flag with this action, the automatic refunds
-- of its activations (a cancel before any SMS, an expiry without one, an outage) are not credited: the order closes as
-- usual, its price stays held, and a held_refunds row waits for an admin to release it (void: the customer gets it)
-- or deny it (capture: the platform keeps it). The row is written by the order's own resolving statement, so an order
-- is held if and only if it got neither a void nor a capture.
ALTER TABLE abuse_settings DROP CONSTRAINT abuse_settings_action_check;
ALTER TABLE abuse_settings ADD CONSTRAINT abuse_settings_action_check
  CHECK (action IN ('flag', 'throttle', 'suspend', 'hold_refunds'));
ALTER TABLE abuse_flags DROP CONSTRAINT abuse_flags_action_check;
ALTER TABLE abuse_flags ADD CONSTRAINT abuse_flags_action_check
  CHECK (action IN ('flag', 'throttle', 'suspend', 'hold_refunds'));
CREATE INDEX abuse_flags_holding_refunds ON abuse_flags (account_id) WHERE resolved_at IS NULL AND action = 'hold_refunds';

CREATE TABLE held_refunds (
  order_id   bigint PRIMARY KEY REFERENCES activations,
  account_id bigint NOT NULL REFERENCES accounts,
  price      bigint NOT NULL CHECK (price > 0),
  held_at    timestamptz NOT NULL DEFAULT now(),
  decision   text CHECK (decision IN ('released', 'denied')),
  decided_at timestamptz,
  decided_by text,
  note       text CHECK (length(note) <= 2000),
  CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX held_refunds_pending ON held_refunds (account_id) WHERE decision IS NULL;
