-- A webhook secret being replaced: the previous one is still accepted until retires_at, so
-- that a sender can switch to the new secret without a delivery being refused. API pots only:
-- a pots-file pot's secret lives in the file.
CREATE TABLE retiring_webhook_secrets (
  pot_id      TEXT PRIMARY KEY REFERENCES pots(id),
  secret      TEXT NOT NULL,
  retires_at  INTEGER NOT NULL
) WITHOUT ROWID;
