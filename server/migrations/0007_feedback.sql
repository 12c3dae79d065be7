-- Citizens' feedback (phản ánh, kiến nghị): the reports, their history,
-- their photos (uploads) and idempotent submission.

-- A report. Personal data: the position, the address and the contact;
-- only a hash of the reporter's secret is kept (see dossiers::secret_hash).
CREATE TABLE feedback (
    -- PA-{YYMMDD}-{5 of CODE_ALPHABET}
    code            TEXT PRIMARY KEY NOT NULL,
    secret_hash     TEXT NOT NULL,
    category        TEXT NOT NULL
        CHECK (category IN ('roads', 'environment', 'public_order', 'administration', 'other')),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    -- The device's position (WGS 84), when shared.
    lat             REAL,
    lon             REAL,
    accuracy_m      INTEGER,
    commune         TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    -- All empty for an anonymous report.
    contact_name    TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    contact_email   TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL
        CHECK (status IN ('received', 'assigned', 'answered', 'rejected')),
    -- The agency handling it (set by the last assignment).
    agency          TEXT,
    answer          TEXT,
    -- RFC 3339 with the +07:00 offset.
    answered_at     TEXT,
    rejection       TEXT,
    -- Shown in the public list (answered reports only).
    published       INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    rating_stars    INTEGER CHECK (rating_stars IS NULL OR rating_stars BETWEEN 1 AND 5),
    rating_comment  TEXT,
    rated_at        TEXT,
    -- vi or en: the language the citizen wrote in.
    lang            TEXT NOT NULL,
    -- RFC 3339 with the +07:00 offset.
    received_at     TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    CHECK ((lat IS NULL) = (lon IS NULL)),
    CHECK (published = 0 OR status = 'answered')
);
CREATE INDEX feedback_status ON feedback(status, received_at);
CREATE INDEX feedback_public ON feedback(published, category, answered_at);

-- The history of a report, seq from 1: every status move (receive, assign,
-- answer, reject) is a timeline entry; publish and unpublish are kept for
-- the record only.
CREATE TABLE feedback_events (
    feedback_code TEXT NOT NULL REFERENCES feedback(code),
    seq           INTEGER NOT NULL CHECK (seq >= 1),
    action        TEXT NOT NULL
        CHECK (action IN ('receive', 'assign', 'answer', 'reject', 'publish', 'unpublish')),
    -- The status after the action.
    status        TEXT NOT NULL,
    -- RFC 3339 with the +07:00 offset.
    at            TEXT NOT NULL,
    -- citizen, officer:api, officer:cli
    actor         TEXT NOT NULL,
    -- Into assigned: the agency.
    agency        TEXT,
    PRIMARY KEY (feedback_code, seq)
);

-- A report's photos are uploads, taken once (like a dossier's files): a
-- photo of a report cannot be attached to anything else.
ALTER TABLE uploads ADD COLUMN feedback_code TEXT REFERENCES feedback(code);
-- Its place among the report's photos, from 0.
ALTER TABLE uploads ADD COLUMN feedback_photo INTEGER;
CREATE UNIQUE INDEX uploads_feedback ON uploads(feedback_code, feedback_photo)
    WHERE feedback_code IS NOT NULL;

-- Idempotent submission, as for dossiers: the receipt (with the secret) is
-- kept 24 hours for retries, then becomes JSON null.
CREATE TABLE feedback_idempotency (
    key                TEXT PRIMARY KEY NOT NULL,
    -- Hex SHA-256 of the canonical JSON of the request body.
    request_hash       TEXT NOT NULL,
    feedback_code      TEXT NOT NULL REFERENCES feedback(code),
    receipt            TEXT NOT NULL CHECK (json_valid(receipt)),
    created_at         TEXT NOT NULL,
    receipt_cleared_at TEXT
);
