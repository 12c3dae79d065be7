-- PostgreSQL twin of migrations/0008_helpers.sql: kept in lockstep with the SQLite
-- migrations (same file names, same tables and columns; integers are
-- BIGINT, REAL is DOUBLE PRECISION, JSON checks cast to jsonb). Change
-- both together. The comments on the tables are in the SQLite files.
-- SQLite rebuilds `accounts` to drop a NOT NULL; PostgreSQL alters it in
-- place (ids, sessions and the identity's high-water mark stay as they are).
ALTER TABLE accounts ADD COLUMN role TEXT NOT NULL DEFAULT 'producer'
    CHECK (role IN ('producer', 'helper'));
ALTER TABLE accounts ALTER COLUMN producer_id DROP NOT NULL;
ALTER TABLE accounts ADD COLUMN helper_name TEXT;
ALTER TABLE accounts ADD COLUMN commune TEXT;
ALTER TABLE accounts ADD COLUMN team TEXT;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_fields CHECK (
    (role = 'producer' AND producer_id IS NOT NULL
        AND helper_name IS NULL AND commune IS NULL AND team IS NULL)
    OR
    (role = 'helper' AND producer_id IS NULL
        AND helper_name IS NOT NULL AND helper_name != ''
        AND commune IS NOT NULL AND commune != ''
        AND team IS NOT NULL AND team != '')
);

CREATE TABLE assisted_dossiers (
    dossier_code      TEXT PRIMARY KEY NOT NULL REFERENCES dossiers(code),
    helper_account_id BIGINT NOT NULL,
    helper_username   TEXT NOT NULL,
    helper_name       TEXT NOT NULL,
    team              TEXT NOT NULL,
    consent_name      TEXT NOT NULL CHECK (consent_name != ''),
    consent_phone     TEXT NOT NULL CHECK (consent_phone != ''),
    consent_at        TEXT NOT NULL
);
CREATE INDEX assisted_dossiers_helper ON assisted_dossiers(helper_account_id, consent_at);
