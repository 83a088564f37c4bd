-- Readings the guard kept out of the public series: a total that went down, jumped beyond
-- the pot's own recent pace, or was dated between two readings it does not fit between.
-- Kept with the figures as received, for moderators and for audit.
CREATE TABLE quarantined_readings (
  id            INTEGER PRIMARY KEY,
  pot_id        TEXT NOT NULL REFERENCES pots(id),
  at            INTEGER NOT NULL,   -- epoch ms UTC, as the source dated it
  amount_minor  INTEGER NOT NULL,
  contributors  INTEGER NOT NULL,
  reason_code   TEXT NOT NULL CHECK (reason_code IN ('decrease', 'jump', 'out_of_order')),
  reason        TEXT NOT NULL,      -- in plain words, with the figures compared
  raw           TEXT,               -- the values exactly as the source gave them
  origin        TEXT NOT NULL,      -- webhook, http-json, html, csv or replay
  -- held: waiting for confirmation; released: confirmed and now in the public series;
  -- discarded: never entered the public series.
  status        TEXT NOT NULL CHECK (status IN ('held', 'released', 'discarded')),
  received_at   INTEGER NOT NULL,
  resolved_at   INTEGER
);

CREATE UNIQUE INDEX quarantined_readings_by_time ON quarantined_readings (pot_id, at);
CREATE INDEX quarantined_readings_by_status ON quarantined_readings (pot_id, status, at);
