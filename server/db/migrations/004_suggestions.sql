-- Intervals the detector proposes for a moderator's look. A dismissed or confirmed one is
-- kept, so that the same stretch is not raised again for the same pattern.
CREATE TABLE suggestions (
  id          INTEGER PRIMARY KEY,
  pot_id      TEXT NOT NULL REFERENCES pots(id),
  from_at     INTEGER NOT NULL,     -- epoch ms UTC
  to_at       INTEGER NOT NULL,
  kind        TEXT NOT NULL,        -- too-regular, night-surge, freeze-catch-up, ...
  score       REAL NOT NULL,        -- surprise for honest activity, in orders of magnitude
  evidence    TEXT NOT NULL,        -- JSON: {summary, ...figures}
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'dismissed')),
  flag_id     INTEGER,              -- the flag a confirmation created
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  decided_by  TEXT,                 -- who confirmed or dismissed it
  CHECK (from_at <= to_at)
);

CREATE INDEX suggestions_by_pot ON suggestions (pot_id, kind, from_at);
