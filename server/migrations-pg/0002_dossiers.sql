-- PostgreSQL twin of migrations/0002_dossiers.sql: kept in lockstep with the SQLite
-- migrations (same file names, same tables and columns; integers are
-- BIGINT, REAL is DOUBLE PRECISION, JSON checks cast to jsonb). Change
-- both together. The comments on the tables are in the SQLite files.
-- Online applications: the forms procedures serve, uploaded files, dossiers
-- (hồ sơ) with their history, and idempotent submission.

CREATE TABLE procedure_forms (
    procedure_code TEXT PRIMARY KEY NOT NULL REFERENCES procedures(code),
    agency_code    TEXT NOT NULL,
    contact_vi     TEXT NOT NULL,
    contact_en     TEXT NOT NULL,
    form           TEXT NOT NULL CHECK ((form::jsonb) IS NOT NULL)
);

CREATE TABLE dossiers (
    code            TEXT PRIMARY KEY NOT NULL,
    procedure_code  TEXT NOT NULL REFERENCES procedures(code),
    agency_code     TEXT NOT NULL,
    secret_hash     TEXT NOT NULL,
    status          BIGINT NOT NULL,
    received_at     TEXT NOT NULL,
    promised_date   TEXT NOT NULL,
    fee             BIGINT NOT NULL CHECK (fee >= 0),
    answers         TEXT NOT NULL CHECK ((answers::jsonb) IS NOT NULL),
    lang            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    updated_at      TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
CREATE INDEX dossiers_agency_status ON dossiers(agency_code, status, received_at);
CREATE INDEX dossiers_procedure ON dossiers(procedure_code, received_at);

CREATE TABLE dossier_events (
    dossier_code TEXT NOT NULL REFERENCES dossiers(code),
    seq          BIGINT NOT NULL CHECK (seq >= 1),
    status       BIGINT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    reason       TEXT,
    PRIMARY KEY (dossier_code, seq)
);

CREATE TABLE dossier_counters (
    agency TEXT NOT NULL,
    day    TEXT NOT NULL,
    last   BIGINT NOT NULL,
    PRIMARY KEY (agency, day)
);

-- Uploaded files. `rowid` stands in for SQLite's implicit rowid: the
-- order the files came in (ORDER BY rowid works on both).
CREATE TABLE uploads (
    rowid        BIGINT GENERATED ALWAYS AS IDENTITY,
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    size         BIGINT NOT NULL CHECK (size > 0),
    type         TEXT NOT NULL CHECK (type IN ('pdf', 'jpeg', 'png')),
    sha256       TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    dossier_code TEXT REFERENCES dossiers(code),
    field        TEXT
);
CREATE INDEX uploads_dossier ON uploads(dossier_code);

CREATE TABLE idempotency (
    key          TEXT PRIMARY KEY NOT NULL,
    request_hash TEXT NOT NULL,
    dossier_code TEXT NOT NULL REFERENCES dossiers(code),
    receipt      TEXT NOT NULL CHECK ((receipt::jsonb) IS NOT NULL),
    created_at   TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
