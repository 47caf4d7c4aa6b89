CREATE TABLE services (
  code text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,20}$'),
  name text NOT NULL
);

-- Numeric ids are the sms-activate country ids that bulk customers' scripts already use.
CREATE TABLE countries (
  id   int PRIMARY KEY CHECK (id >= 0),
  name text NOT NULL
);

CREATE TABLE providers (
  id            text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  protocol      text NOT NULL CHECK (protocol IN ('smshub', 'sms-activate')),
  base_url      text NOT NULL,
  api_key       text NOT NULL,      -- what we present to the supplier
  push_key_hash bytea,              -- SHA-256 of the key the supplier presents when it pushes to us
  enabled       boolean NOT NULL DEFAULT true,
  priority      int NOT NULL DEFAULT 100,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- What we sell: our price, what the supplier is paid, and the supplier's last reported stock.
CREATE TABLE offers (
  service          text NOT NULL REFERENCES services,
  country          int NOT NULL REFERENCES countries,
  provider_id      text NOT NULL REFERENCES providers,
  price            bigint NOT NULL CHECK (price > 0),
  cost             bigint NOT NULL DEFAULT 0 CHECK (cost >= 0),
  stock            int NOT NULL DEFAULT 0 CHECK (stock >= 0),
  stock_updated_at timestamptz,
  PRIMARY KEY (service, country, provider_id)
);

INSERT INTO services (code, name) VALUES
  ('tg', 'Telegram'), ('wa', 'WhatsApp'), ('go', 'Google'), ('fb', 'Facebook'), ('ig', 'Instagram'),
  ('vk', 'VKontakte'), ('ok', 'Odnoklassniki'), ('tw', 'Twitter'), ('ds', 'Discord'), ('am', 'Amazon'),
  ('mm', 'Microsoft'), ('oi', 'Tinder'), ('lf', 'TikTok'), ('dr', 'OpenAI'), ('ot', 'Any other');

INSERT INTO countries (id, name) VALUES
  (0, 'Russia'), (1, 'Ukraine'), (2, 'Kazakhstan'), (3, 'China'), (4, 'Philippines'), (6, 'Indonesia'),
  (7, 'Malaysia'), (10, 'Vietnam'), (15, 'Poland'), (16, 'United Kingdom'), (22, 'India'), (36, 'Canada'),
  (43, 'Germany'), (52, 'Thailand'), (73, 'Brazil'), (78, 'France'), (86, 'Italy'), (187, 'USA');
