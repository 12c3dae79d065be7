-- Online applications: the forms procedures serve, uploaded files, dossiers
-- (hồ sơ) with their history, and idempotent submission.

-- The online form of a procedure, from seed/forms.json.
CREATE TABLE procedure_forms (
    procedure_code TEXT PRIMARY KEY NOT NULL REFERENCES procedures(code),
    -- Short agency code used in dossier codes, e.g. QT.XA.
    agency_code    TEXT NOT NULL,
    contact_vi     TEXT NOT NULL,
    contact_en     TEXT NOT NULL,
    -- The FormSchema, JSON.
    form           TEXT NOT NULL CHECK (json_valid(form))
);

-- A dossier. Personal data lives in `answers` (the cleaned answers, JSON);
-- only a hash of the citizen's secret is kept (see dossiers::secret_hash).
CREATE TABLE dossiers (
    -- {agency_code}-{YYMMDD}-{NNNN}
    code            TEXT PRIMARY KEY NOT NULL,
    procedure_code  TEXT NOT NULL REFERENCES procedures(code),
    agency_code     TEXT NOT NULL,
    secret_hash     TEXT NOT NULL,
    -- Current status; every change is also a row in dossier_events.
    status          INTEGER NOT NULL,
    -- RFC 3339 with the +07:00 offset.
    received_at     TEXT NOT NULL,
    -- YYYY-MM-DD
    promised_date   TEXT NOT NULL,
    -- VND due; 0 when free.
    fee             INTEGER NOT NULL CHECK (fee >= 0),
    answers         TEXT NOT NULL CHECK (json_valid(answers)),
    -- vi or en: the language the citizen applied in.
    lang            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX dossiers_agency_status ON dossiers(agency_code, status, received_at);
CREATE INDEX dossiers_procedure ON dossiers(procedure_code, received_at);

-- The history of a dossier: one row per status change, seq from 1.
CREATE TABLE dossier_events (
    dossier_code TEXT NOT NULL REFERENCES dossiers(code),
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    status       INTEGER NOT NULL,
    -- RFC 3339 with the +07:00 offset.
    at           TEXT NOT NULL,
    -- citizen, officer:<id>, system
    actor        TEXT NOT NULL,
    reason       TEXT,
    PRIMARY KEY (dossier_code, seq)
);

-- Per agency and local day, the last dossier number handed out.
CREATE TABLE dossier_counters (
    agency TEXT NOT NULL,
    -- YYMMDD
    day    TEXT NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (agency, day)
);

-- Uploaded files. The bytes are in the uploads directory under `id`; the
-- client's file name is kept as data only.
CREATE TABLE uploads (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    type         TEXT NOT NULL CHECK (type IN ('pdf', 'jpeg', 'png')),
    -- Hex SHA-256 of the bytes.
    sha256       TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    -- Set once, when a dossier references the upload.
    dossier_code TEXT REFERENCES dossiers(code),
    -- The form field (document slot) it was attached to.
    field        TEXT
);
CREATE INDEX uploads_dossier ON uploads(dossier_code);

-- Idempotent submission: a key seen once answers the same receipt again.
CREATE TABLE idempotency (
    key          TEXT PRIMARY KEY NOT NULL,
    -- Hex SHA-256 of the canonical JSON of the request body.
    request_hash TEXT NOT NULL,
    dossier_code TEXT NOT NULL REFERENCES dossiers(code),
    -- The DossierReceipt JSON as first answered (it holds the secret).
    receipt      TEXT NOT NULL CHECK (json_valid(receipt)),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
