-- Tracking: what status changes carry beyond the status, results, ratings,
-- and the retention of submission receipts.

-- Into 6: the amount asked for; on the 6 → 4 move that confirms a payment:
-- the amount paid (VND).
ALTER TABLE dossier_events ADD COLUMN amount INTEGER CHECK (amount IS NULL OR amount > 0);
-- Into 5: the documents asked for, a JSON array of MissingDocument.
ALTER TABLE dossier_events ADD COLUMN documents TEXT
    CHECK (documents IS NULL OR json_valid(documents));
-- 1 on the 6 → 4 move that records a payment.
ALTER TABLE dossier_events ADD COLUMN payment_confirmed INTEGER NOT NULL DEFAULT 0
    CHECK (payment_confirmed IN (0, 1));

-- uploads.field is the form field, `supplement` (sent for a status 5
-- request), `result` (the dossier's result: at most one) or
-- `result_replaced` (a result the officer replaced).
CREATE UNIQUE INDEX uploads_one_result ON uploads(dossier_code) WHERE field = 'result';

-- The citizen's satisfaction rating, once per dossier, at status 10.
CREATE TABLE ratings (
    dossier_code TEXT PRIMARY KEY NOT NULL REFERENCES dossiers(code),
    stars        INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment      TEXT,
    -- RFC 3339 with the +07:00 offset.
    at           TEXT NOT NULL
);

-- The officer list: by status, newest first.
CREATE INDEX dossiers_status_received ON dossiers(status, received_at);

-- Submission receipts hold the secret: kept 24 hours for retries, then the
-- receipt becomes JSON null and this is set (see dossiers::purge_receipts).
ALTER TABLE idempotency ADD COLUMN receipt_cleared_at TEXT;
