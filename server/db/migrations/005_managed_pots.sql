-- Pots come from two places: the pots file (re-read at every start, which stays the truth
-- for them) and admins through the API (the database is then the only copy).
ALTER TABLE pots ADD COLUMN origin TEXT NOT NULL DEFAULT 'file' CHECK (origin IN ('file', 'api'));
-- The whole configuration of an API pot as validated, secrets included (a webhook secret must
-- be read back to check signatures). NULL for file pots, whose secrets stay in the file.
ALTER TABLE pots ADD COLUMN config TEXT;
ALTER TABLE pots ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));
ALTER TABLE pots ADD COLUMN updated_at INTEGER;
ALTER TABLE pots ADD COLUMN archived_at INTEGER;
-- Changes whenever a pot is added or changed, so that another process sharing the file (a
-- cluster worker) can tell cheaply that it should read the pots again.
ALTER TABLE pots ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
