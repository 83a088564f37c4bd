CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role           TEXT NOT NULL CHECK (role IN ('moderator', 'admin')),
  password_hash  TEXT NOT NULL,     -- scrypt$N$r$p$salt$hash, never the password
  created_at     INTEGER NOT NULL
);

-- Only a SHA-256 of each session token is stored: a copy of the file opens no session.
CREATE TABLE sessions (
  token_hash    TEXT PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at    INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL    -- absolute end, whatever the activity
) WITHOUT ROWID;

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE flags (
  id          INTEGER PRIMARY KEY,
  pot_id      TEXT NOT NULL REFERENCES pots(id),
  from_at     INTEGER NOT NULL,
  to_at       INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  visibility  TEXT NOT NULL CHECK (visibility IN ('draft', 'published')),
  resolved    INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
  created_by  TEXT NOT NULL,        -- a name, so that flags outlive the account
  created_at  INTEGER NOT NULL,
  updated_by  TEXT,
  updated_at  INTEGER,
  CHECK (from_at <= to_at)
);

CREATE INDEX flags_by_pot ON flags (pot_id, from_at);

CREATE TABLE audit (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  actor    TEXT NOT NULL,           -- the user's name, or "cli" for the command-line tool
  action   TEXT NOT NULL,           -- e.g. flag.create, flag.update, session.login
  pot_id   TEXT,
  target   TEXT,                    -- e.g. flag:12, user:alice
  before   TEXT,                    -- JSON
  after    TEXT                     -- JSON
);

CREATE INDEX audit_by_pot ON audit (pot_id, id);

-- The trail is append-only: nothing may rewrite or erase what was recorded.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
