CREATE TABLE pots (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  currency    TEXT NOT NULL,
  goal_minor  INTEGER,
  source      TEXT NOT NULL,        -- JSON description of the source, without secrets
  created_at  INTEGER NOT NULL,
  archived    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE readings (
  pot_id        TEXT NOT NULL REFERENCES pots(id),
  at            INTEGER NOT NULL,   -- epoch ms UTC
  amount_minor  INTEGER NOT NULL,
  contributors  INTEGER NOT NULL,
  PRIMARY KEY (pot_id, at)
) WITHOUT ROWID;

CREATE TABLE contributions (
  pot_id        TEXT NOT NULL REFERENCES pots(id),
  id            TEXT NOT NULL,
  at            INTEGER NOT NULL,
  amount_minor  INTEGER,
  name          TEXT,
  message       TEXT,
  PRIMARY KEY (pot_id, id)
) WITHOUT ROWID;

CREATE INDEX contributions_by_time ON contributions (pot_id, at);
