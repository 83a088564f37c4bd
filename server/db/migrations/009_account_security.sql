-- Second factors, disabled accounts and sessions a user can see and end.

-- disabled_at: the account cannot sign in (its sessions are closed when it is disabled).
-- second_factor_required: an admin asked this moderator to enrol a second factor; admins
-- always need one. second_factor_exempt: set only by code that builds accounts (fixtures),
-- never through the API or the command line.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE users ADD COLUMN second_factor_required INTEGER NOT NULL DEFAULT 0 CHECK (second_factor_required IN (0, 1));
ALTER TABLE users ADD COLUMN second_factor_exempt INTEGER NOT NULL DEFAULT 0 CHECK (second_factor_exempt IN (0, 1));
-- The TOTP shared secret (base32) once confirmed, and the last time step accepted, so that a
-- code is accepted once. A pending secret waits for its first code before it counts.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

-- One-time recovery codes, stored as SHA-256 (each holds 80 random bits: no salt or slow hash
-- is needed to keep a copy of the file from revealing them).
CREATE TABLE recovery_codes (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash  TEXT NOT NULL,
  used_at    INTEGER,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- Passkeys (WebAuthn credentials): the public key and the signature counter last seen.
CREATE TABLE passkeys (
  id            TEXT PRIMARY KEY,   -- the credential id, base64url
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  public_key    BLOB NOT NULL,
  counter       INTEGER NOT NULL,
  transports    TEXT,               -- JSON array, as the browser reported them
  label         TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
) WITHOUT ROWID;

CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- Addresses an account signed in from (IPv6 by /64): from one of them a name under attack
-- elsewhere still signs in without waiting for the name's global rate.
CREATE TABLE known_addresses (
  user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  address          TEXT NOT NULL,
  last_sign_in_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, address)
) WITHOUT ROWID;

-- public_id names a session in lists and in "end this session" without revealing its token
-- hash; enrolment_only marks a session that may only enrol a second factor.
ALTER TABLE sessions ADD COLUMN public_id TEXT;
ALTER TABLE sessions ADD COLUMN address TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN second_factor TEXT;
ALTER TABLE sessions ADD COLUMN enrolment_only INTEGER NOT NULL DEFAULT 0 CHECK (enrolment_only IN (0, 1));
UPDATE sessions SET public_id = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX sessions_by_public_id ON sessions (public_id);

-- Passkey challenges waiting for the browser's answer, in the database so that any process of
-- a cluster can check the answer. Each is used once.
CREATE TABLE passkey_challenges (
  challenge   TEXT PRIMARY KEY,     -- base64url, random
  purpose     TEXT NOT NULL CHECK (purpose IN ('register', 'sign_in')),
  user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,  -- the account registering
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
