-- Community digital helpers (thành viên Tổ công nghệ số cộng đồng) sign in
-- with the producers' session machinery and submit applications on a
-- citizen's behalf.
--
-- 1. `accounts` gets a role. A helper has no producer, so `producer_id`
--    must become nullable; SQLite cannot drop a NOT NULL, so the table is
--    rebuilt (create new, copy, drop old, rename), keeping every id.
--
--    `sessions.account_id` references `accounts(id)` with ON DELETE
--    CASCADE, and the server runs with foreign keys on: dropping the old
--    table deletes its rows first, which would cascade to every session.
--    The sessions are copied aside before the drop and put back after the
--    rename, so everyone signed in stays signed in; so is AUTOINCREMENT's
--    high-water mark, so no id is handed out twice. The reference itself
--    is by name: once `accounts_new` is renamed `accounts`, it points at
--    the new table. `login_failures` is keyed by name and is untouched.
--
-- 2. `assisted_dossiers`: one row per dossier a helper submitted, written
--    in the submission's transaction ("nộp hộ bởi").

CREATE TABLE accounts_new (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT NOT NULL UNIQUE,
    role                 TEXT NOT NULL DEFAULT 'producer' CHECK (role IN ('producer', 'helper')),
    -- Producers only.
    producer_id          TEXT REFERENCES producers(id) DEFERRABLE INITIALLY DEFERRED,
    -- Helpers only: the person, the commune that registered them, and the
    -- team's name ("Tổ công nghệ số cộng đồng xã Gio Linh").
    helper_name          TEXT,
    commune              TEXT,
    team                 TEXT,
    -- argon2id, PHC string format ($argon2id$v=19$m=19456,t=2,p=1$…).
    password_hash        TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    created_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,
    CHECK (
        (role = 'producer' AND producer_id IS NOT NULL
            AND helper_name IS NULL AND commune IS NULL AND team IS NULL)
        OR
        (role = 'helper' AND producer_id IS NULL
            AND helper_name IS NOT NULL AND helper_name != ''
            AND commune IS NOT NULL AND commune != ''
            AND team IS NOT NULL AND team != '')
    )
);

INSERT INTO accounts_new (id, username, role, producer_id, password_hash, must_change_password,
                          created_at, password_changed_at)
SELECT id, username, 'producer', producer_id, password_hash, must_change_password,
       created_at, password_changed_at
FROM accounts;

CREATE TABLE sessions_kept AS SELECT * FROM sessions;
-- AUTOINCREMENT's high-water mark: copying the rows sets it to the largest
-- id still there, which could hand a deleted account's id out again.
CREATE TABLE accounts_seq_kept AS SELECT seq FROM sqlite_sequence WHERE name = 'accounts';

DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM accounts_seq_kept))
WHERE name = 'accounts' AND EXISTS (SELECT 1 FROM accounts_seq_kept);
INSERT INTO sqlite_sequence (name, seq)
SELECT 'accounts', seq FROM accounts_seq_kept
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'accounts');
DROP TABLE accounts_seq_kept;

INSERT INTO sessions (token_hash, account_id, csrf, created_at, last_seen_at)
SELECT token_hash, account_id, csrf, created_at, last_seen_at FROM sessions_kept;
DROP TABLE sessions_kept;

-- "Nộp hộ bởi": the audit of an assisted submission. The helper's name and
-- team are copied, not joined, so the record stays as it was when the
-- account changes or is deleted (account ids are never reused:
-- AUTOINCREMENT), hence no foreign key to `accounts`.
CREATE TABLE assisted_dossiers (
    dossier_code      TEXT PRIMARY KEY NOT NULL REFERENCES dossiers(code),
    helper_account_id INTEGER NOT NULL,
    helper_username   TEXT NOT NULL,
    helper_name       TEXT NOT NULL,
    team              TEXT NOT NULL,
    -- The citizen's consent as recorded: the name, the phone (normalised)
    -- and when (RFC 3339 with the +07:00 offset: the dossier's received_at).
    consent_name      TEXT NOT NULL CHECK (consent_name != ''),
    consent_phone     TEXT NOT NULL CHECK (consent_phone != ''),
    consent_at        TEXT NOT NULL
);
CREATE INDEX assisted_dossiers_helper ON assisted_dossiers(helper_account_id, consent_at);
