-- PostgreSQL twin of migrations/0007_feedback.sql: kept in lockstep with the SQLite
-- migrations (same file names, same tables and columns; integers are
-- BIGINT, REAL is DOUBLE PRECISION, JSON checks cast to jsonb). Change
-- both together. The comments on the tables are in the SQLite files.
CREATE TABLE feedback (
    code            TEXT PRIMARY KEY NOT NULL,
    secret_hash     TEXT NOT NULL,
    category        TEXT NOT NULL
        CHECK (category IN ('roads', 'environment', 'public_order', 'administration', 'other')),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    accuracy_m      BIGINT,
    commune         TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    contact_name    TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    contact_email   TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL
        CHECK (status IN ('received', 'assigned', 'answered', 'rejected')),
    agency          TEXT,
    answer          TEXT,
    answered_at     TEXT,
    rejection       TEXT,
    published       BIGINT NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    rating_stars    BIGINT CHECK (rating_stars IS NULL OR rating_stars BETWEEN 1 AND 5),
    rating_comment  TEXT,
    rated_at        TEXT,
    lang            TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    CHECK ((lat IS NULL) = (lon IS NULL)),
    CHECK (published = 0 OR status = 'answered')
);
CREATE INDEX feedback_status ON feedback(status, received_at);
CREATE INDEX feedback_public ON feedback(published, category, answered_at);

CREATE TABLE feedback_events (
    feedback_code TEXT NOT NULL REFERENCES feedback(code),
    seq           BIGINT NOT NULL CHECK (seq >= 1),
    action        TEXT NOT NULL
        CHECK (action IN ('receive', 'assign', 'answer', 'reject', 'publish', 'unpublish')),
    status        TEXT NOT NULL,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    agency        TEXT,
    PRIMARY KEY (feedback_code, seq)
);

ALTER TABLE uploads ADD COLUMN feedback_code TEXT REFERENCES feedback(code);
ALTER TABLE uploads ADD COLUMN feedback_photo BIGINT;
CREATE UNIQUE INDEX uploads_feedback ON uploads(feedback_code, feedback_photo)
    WHERE feedback_code IS NOT NULL;

CREATE TABLE feedback_idempotency (
    key                TEXT PRIMARY KEY NOT NULL,
    request_hash       TEXT NOT NULL,
    feedback_code      TEXT NOT NULL REFERENCES feedback(code),
    receipt            TEXT NOT NULL CHECK ((receipt::jsonb) IS NOT NULL),
    created_at         TEXT NOT NULL,
    receipt_cleared_at TEXT
);
