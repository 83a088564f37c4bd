-- Everything that leaves the server (alert webhooks, e-mail) is first written here, in the
-- transaction of the event that causes it, then delivered at least once by a worker. The
-- deliveries of one target_key go out one at a time, in id order.
CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  delivery_id      TEXT NOT NULL UNIQUE,   -- sent along, for receivers to dedupe by
  channel          TEXT NOT NULL,          -- who delivers it: 'alert'
  target_key       TEXT NOT NULL,          -- one queue per key: 'alert:<id>'
  event            TEXT NOT NULL,
  payload          TEXT NOT NULL,          -- JSON, as it will be sent
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,       -- epoch ms
  last_error       TEXT,
  created_at       INTEGER NOT NULL,
  finished_at      INTEGER                 -- delivered, or given up
);

CREATE INDEX outbox_pending ON outbox (target_key, id) WHERE status = 'pending';
CREATE INDEX outbox_by_target ON outbox (target_key, id);

-- Where admins want to hear of a pot's milestones, suggestions, staleness and published flags.
CREATE TABLE alerts (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('webhook', 'email')),
  target           TEXT NOT NULL,          -- URL or e-mail address
  secret           TEXT,                   -- signs a webhook's deliveries
  events           TEXT NOT NULL,          -- JSON array of event names
  pots             TEXT,                   -- JSON array of pot ids; NULL for every pot
  milestone_every  REAL,                   -- major units of each pot's currency
  created_by       TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);

-- The highest amount of a pot that each alert has seen pass: a milestone fires only above it,
-- so that it fires once, even when a replay clears the pot's history and climbs again.
CREATE TABLE alert_milestones (
  alert_id       INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  pot_id         TEXT NOT NULL,
  reached_minor  INTEGER NOT NULL,
  PRIMARY KEY (alert_id, pot_id)
) WITHOUT ROWID;
