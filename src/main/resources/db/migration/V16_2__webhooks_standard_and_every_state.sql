-- Webhooks per the Standard Webhooks specification (docs/api.md, "Webhooks"), and an event for every order state
-- change.

-- Rotation: the secret replaced last keeps signing beside the new one until previous_until, so a receiver can roll its
-- configuration over while both verify (the specification's several signatures in one header).
ALTER TABLE account_webhooks ADD COLUMN previous_secret text CHECK (previous_secret IS NULL OR length(previous_secret) BETWEEN 32 AND 200),
                             ADD COLUMN previous_until timestamptz,
                             ADD CONSTRAINT account_webhooks_previous CHECK ((previous_secret IS NULL) = (previous_until IS NULL));

-- The event catalogue lives in code and docs (webhook/WebhookEvents); the table takes any dotted lower-case type, so a
-- new event (policy.changed...) needs no migration of this constraint.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_type_check;
ALTER TABLE webhook_events ADD CONSTRAINT webhook_events_type_check CHECK (type ~ '^[a-z]+(\.[a-z_]+)+$');

-- Money in payloads as the APIs write it: decimal USD, at least two places, no trailing zeros beyond them.
CREATE FUNCTION usd_text(micros bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN micros % 10000 = 0 THEN to_char(micros / 1000000.0, 'FM999999999990.00')
              ELSE rtrim(to_char(micros / 1000000.0, 'FM999999999990.000000'), '0') END
$$;

-- Transactional outbox for state changes: the statement that moves an order (whichever it is: purchase, cancel,
-- finish, expiry, outage refund, supplier close) writes the event in the same transaction, so an event exists if and
-- only if the change committed. A move into CODE_RECEIVED is the activation.sms event the SMS statement writes.
-- Events are delivered like every other (the webhook pickup job arms their first attempt).
CREATE FUNCTION activation_state_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target text;
  event_id bigint;
BEGIN
  IF NEW.state = 'CODE_RECEIVED' THEN RETURN NULL; END IF;
  target := COALESCE(NEW.webhook_url, (SELECT w.url FROM account_webhooks w WHERE w.account_id = NEW.account_id));
  IF target IS NULL THEN RETURN NULL; END IF;
  event_id := nextval('webhook_event_ids');
  INSERT INTO webhook_events (id, account_id, order_id, type, url, payload, next_attempt_at)
  VALUES (event_id, NEW.account_id, NEW.id, 'activation.' || lower(NEW.state), target, json_build_object(
      'activationId', NEW.id, 'service', NEW.service, 'country', NEW.country, 'phone', NEW.phone,
      'eventId', 'evt_' || event_id, 'type', 'activation.' || lower(NEW.state),
      'state', NEW.state, 'previousState', OLD.state, 'price', usd_text(NEW.price),
      'expiresAt', to_char(NEW.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'closeReason', NEW.close_reason,
      'occurredAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, now());
  RETURN NULL;
END $$;

CREATE TRIGGER activation_state_event AFTER UPDATE OF state ON activations
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION activation_state_event();

-- Rentals: to the rental's own URL, else the account's (the family's rent webhook, rental.sms, uses the rental's only).
CREATE FUNCTION rental_state_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target text;
  event_id bigint;
BEGIN
  target := COALESCE(NEW.webhook_url, (SELECT w.url FROM account_webhooks w WHERE w.account_id = NEW.account_id));
  IF target IS NULL THEN RETURN NULL; END IF;
  event_id := nextval('webhook_event_ids');
  INSERT INTO webhook_events (id, account_id, order_id, type, url, payload, next_attempt_at)
  VALUES (event_id, NEW.account_id, NEW.id, 'rental.' || lower(NEW.state), target, json_build_object(
      'rentId', NEW.id, 'service', COALESCE(NEW.service, 'full'), 'country', NEW.country, 'phone', NEW.phone,
      'eventId', 'evt_' || event_id, 'type', 'rental.' || lower(NEW.state),
      'state', NEW.state, 'previousState', OLD.state, 'hours', NEW.hours, 'price', usd_text(NEW.price),
      'endsAt', to_char(NEW.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'closeReason', NEW.close_reason,
      'occurredAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, now());
  RETURN NULL;
END $$;

CREATE TRIGGER rental_state_event AFTER UPDATE OF state ON rentals
  FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION rental_state_event();
