-- Context on a pot's chart: what happened at a moment, public, added by moderators and admins
-- (or shipped with a replay, which `origin` names so that it is added once).
CREATE TABLE annotations (
  id          INTEGER PRIMARY KEY,
  pot_id      TEXT NOT NULL REFERENCES pots(id),
  at          INTEGER NOT NULL,     -- epoch ms UTC
  label       TEXT NOT NULL,        -- JSON: a text, or {"fr": …, "en": …}
  url         TEXT,
  origin      TEXT,                 -- e.g. replay:police-2019:ddos-protection; NULL when added by a person
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_by  TEXT,
  updated_at  INTEGER
);

CREATE INDEX annotations_by_pot ON annotations (pot_id, at);
CREATE UNIQUE INDEX annotations_by_origin ON annotations (pot_id, origin) WHERE origin IS NOT NULL;
