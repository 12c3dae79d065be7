-- Tourism sites, loaded from seed/sites.json (replaced as a whole when the
-- file changes): one row per site, every language side by side.

CREATE TABLE sites (
    slug     TEXT PRIMARY KEY NOT NULL
             CHECK (length(slug) BETWEEN 1 AND 60 AND slug NOT GLOB '*[^a-z0-9-]*'),
    -- Seed order: the list is served in it.
    position INTEGER NOT NULL,
    -- A short hash of `body`: changes when the record changes (ETags, the
    -- app's offline copy).
    version  TEXT NOT NULL,
    -- The domain's SiteRecord, as JSON.
    body     TEXT NOT NULL CHECK (json_valid(body))
);

CREATE INDEX sites_position ON sites (position);
