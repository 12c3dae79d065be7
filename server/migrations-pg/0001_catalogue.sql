-- PostgreSQL twin of migrations/0001_catalogue.sql: kept in lockstep with the SQLite
-- migrations (same file names, same tables and columns; integers are
-- BIGINT, REAL is DOUBLE PRECISION, JSON checks cast to jsonb). Change
-- both together. The comments on the tables are in the SQLite files.
-- The public-service catalogue: fields (lĩnh vực) and procedures (thủ tục hành chính).
CREATE TABLE fields (
    code     TEXT PRIMARY KEY NOT NULL,
    name_vi  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position BIGINT NOT NULL
);

CREATE TABLE procedures (
    code       TEXT PRIMARY KEY NOT NULL,
    field_code TEXT NOT NULL REFERENCES fields(code),
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    position   BIGINT NOT NULL,
    -- The whole procedure as the API serves it (without field_name), JSON.
    body       TEXT NOT NULL CHECK ((body::jsonb) IS NOT NULL)
);
CREATE INDEX procedures_field ON procedures(field_code, position);

-- Which versioned seed files have been loaded, so a restart never loads twice.
CREATE TABLE seed_runs (
    name       TEXT PRIMARY KEY NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
