-- When a polled supplier was last asked about an order, so the PostgreSQL sweep can restore a poll
-- timer that Redis lost (polls have no deadline of their own).
ALTER TABLE activations ADD COLUMN polled_at timestamptz;
