-- PostgreSQL twin of migrations/0005_sites.sql: kept in lockstep with the SQLite
-- migrations (same file names, same tables and columns; integers are
-- BIGINT, REAL is DOUBLE PRECISION, JSON checks cast to jsonb). Change
-- both together. The comments on the tables are in the SQLite files.
CREATE TABLE sites (
    slug     TEXT PRIMARY KEY NOT NULL
             CHECK (length(slug) BETWEEN 1 AND 60 AND slug !~ '[^a-z0-9-]'),
    position BIGINT NOT NULL,
    version  TEXT NOT NULL,
    body     TEXT NOT NULL CHECK ((body::jsonb) IS NOT NULL)
);

CREATE INDEX sites_position ON sites (position);
