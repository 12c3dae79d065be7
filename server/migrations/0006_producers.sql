-- The OCOP producer portal: accounts, sessions and login failures (in the
-- database, so several servers can share them), each product's listing
-- with its correction proposal, the review audit trail, and photos.
--
-- The foreign keys to the seeded producers and products are deferred: the
-- OCOP seed replaces those tables inside one transaction.

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT NOT NULL UNIQUE,
    producer_id          TEXT NOT NULL REFERENCES producers(id) DEFERRABLE INITIALLY DEFERRED,
    -- argon2id, PHC string format ($argon2id$v=19$m=19456,t=2,p=1$…).
    password_hash        TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    created_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL
);

CREATE TABLE sessions (
    -- SHA-256 (hex) of the cookie's token: the token itself is never stored.
    token_hash   TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    -- Unix seconds.
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

-- One row per failed login, keyed `account:<username>` and `client:<ip>`.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    -- Unix seconds.
    at  INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
CREATE INDEX login_failures_at ON login_failures(at);

CREATE TABLE listings (
    gtin        TEXT PRIMARY KEY NOT NULL REFERENCES products(gtin) DEFERRABLE INITIALLY DEFERRED,
    status      TEXT NOT NULL DEFAULT 'published'
                CHECK (status IN ('draft', 'pending', 'changes_requested', 'published')),
    -- The draft, pending or sent-back Proposal, as JSON.
    proposal    TEXT CHECK (proposal IS NULL OR json_valid(proposal)),
    -- The last approved Proposal: applied again when the OCOP seed reloads.
    approved    TEXT CHECK (approved IS NULL OR json_valid(approved)),
    review_note TEXT,
    -- RFC 3339 (UTC).
    updated_at  TEXT,
    reviewed_at TEXT,
    reviewed_by TEXT
);

CREATE TABLE listing_reviews (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    gtin   TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('saved', 'submitted', 'approved', 'rejected', 'withdrawn')),
    note   TEXT,
    -- `producer:<username>`, `officer:api`, `officer:cli`.
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX listing_reviews_gtin ON listing_reviews(gtin, id);

-- Photos producers uploaded, served from /api/v1/media/{name}.
CREATE TABLE media (
    name        TEXT PRIMARY KEY NOT NULL,
    producer_id TEXT NOT NULL,
    account     TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
