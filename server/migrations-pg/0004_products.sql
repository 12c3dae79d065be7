-- PostgreSQL twin of migrations/0004_products.sql: kept in lockstep with the SQLite
-- migrations (same file names, same tables and columns; integers are
-- BIGINT, REAL is DOUBLE PRECISION, JSON checks cast to jsonb). Change
-- both together. The comments on the tables are in the SQLite files.
CREATE TABLE producers (
    id   TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL CHECK ((body::jsonb) IS NOT NULL)
);

CREATE TABLE products (
    gtin        TEXT PRIMARY KEY NOT NULL CHECK (length(gtin) = 14),
    producer_id TEXT NOT NULL REFERENCES producers(id),
    position    BIGINT NOT NULL,
    body        TEXT NOT NULL CHECK ((body::jsonb) IS NOT NULL)
);

CREATE TABLE batches (
    gtin           TEXT NOT NULL REFERENCES products(gtin),
    lot            TEXT NOT NULL,
    produced       TEXT NOT NULL,
    expires        TEXT NOT NULL,
    quantity_value DOUBLE PRECISION NOT NULL,
    quantity_uom   TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'recalled')),
    recall_reason  TEXT CHECK (recall_reason IS NULL OR (recall_reason::jsonb) IS NOT NULL),
    PRIMARY KEY (gtin, lot)
);

CREATE TABLE epcis_events (
    gtin       TEXT NOT NULL,
    lot        TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    event_time TEXT NOT NULL,
    body       TEXT NOT NULL CHECK ((body::jsonb) IS NOT NULL),
    PRIMARY KEY (gtin, lot, seq),
    FOREIGN KEY (gtin, lot) REFERENCES batches(gtin, lot)
);

CREATE TABLE epcis_context (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    body TEXT NOT NULL CHECK ((body::jsonb) IS NOT NULL)
);

CREATE TABLE scans (
    gtin  TEXT NOT NULL,
    lot   TEXT NOT NULL DEFAULT '',
    day   TEXT NOT NULL,
    count BIGINT NOT NULL DEFAULT 0 CHECK (count >= 0),
    PRIMARY KEY (gtin, lot, day)
);
