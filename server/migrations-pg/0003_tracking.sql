-- PostgreSQL twin of migrations/0003_tracking.sql: kept in lockstep with the SQLite
-- migrations (same file names, same tables and columns; integers are
-- BIGINT, REAL is DOUBLE PRECISION, JSON checks cast to jsonb). Change
-- both together. The comments on the tables are in the SQLite files.
ALTER TABLE dossier_events ADD COLUMN amount BIGINT CHECK (amount IS NULL OR amount > 0);
ALTER TABLE dossier_events ADD COLUMN documents TEXT
    CHECK (documents IS NULL OR (documents::jsonb) IS NOT NULL);
ALTER TABLE dossier_events ADD COLUMN payment_confirmed BIGINT NOT NULL DEFAULT 0
    CHECK (payment_confirmed IN (0, 1));

CREATE UNIQUE INDEX uploads_one_result ON uploads(dossier_code) WHERE field = 'result';

CREATE TABLE ratings (
    dossier_code TEXT PRIMARY KEY NOT NULL REFERENCES dossiers(code),
    stars        BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment      TEXT,
    at           TEXT NOT NULL
);

CREATE INDEX dossiers_status_received ON dossiers(status, received_at);

ALTER TABLE idempotency ADD COLUMN receipt_cleared_at TEXT;
