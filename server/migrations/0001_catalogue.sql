-- The public-service catalogue: fields (lĩnh vực) and procedures (thủ tục hành chính).
CREATE TABLE fields (
    code     TEXT PRIMARY KEY NOT NULL,
    name_vi  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE procedures (
    code       TEXT PRIMARY KEY NOT NULL,
    field_code TEXT NOT NULL REFERENCES fields(code),
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    position   INTEGER NOT NULL,
    -- The whole procedure as the API serves it (without field_name), JSON.
    body       TEXT NOT NULL CHECK (json_valid(body))
);
CREATE INDEX procedures_field ON procedures(field_code, position);

-- Which versioned seed files have been loaded, so a restart never loads twice.
CREATE TABLE seed_runs (
    name       TEXT PRIMARY KEY NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
