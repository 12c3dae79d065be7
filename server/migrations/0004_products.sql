-- OCOP traceability: producers, products, batches and their EPCIS events,
-- loaded from seed/ocop.json (replaced as a whole when the file changes),
-- and anonymous scan counts.

CREATE TABLE producers (
    id   TEXT PRIMARY KEY NOT NULL,
    -- The API's Producer, as JSON.
    body TEXT NOT NULL CHECK (json_valid(body))
);

CREATE TABLE products (
    gtin        TEXT PRIMARY KEY NOT NULL CHECK (length(gtin) = 14),
    producer_id TEXT NOT NULL REFERENCES producers(id),
    position    INTEGER NOT NULL,
    -- The API's Product without producer and batches, as JSON.
    body        TEXT NOT NULL CHECK (json_valid(body))
);

CREATE TABLE batches (
    gtin           TEXT NOT NULL REFERENCES products(gtin),
    lot            TEXT NOT NULL,
    produced       TEXT NOT NULL,
    expires        TEXT NOT NULL,
    quantity_value REAL NOT NULL,
    quantity_uom   TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'recalled')),
    -- A Text as JSON, when recalled.
    recall_reason  TEXT CHECK (recall_reason IS NULL OR json_valid(recall_reason)),
    PRIMARY KEY (gtin, lot)
);

-- One EPCIS 2.0 event (JSON-LD) per row, `seq` in the batch's order.
CREATE TABLE epcis_events (
    gtin       TEXT NOT NULL,
    lot        TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    event_time TEXT NOT NULL,
    body       TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (gtin, lot, seq),
    FOREIGN KEY (gtin, lot) REFERENCES batches(gtin, lot)
);

-- The JSON-LD @context of the stored events (one row).
CREATE TABLE epcis_context (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    body TEXT NOT NULL CHECK (json_valid(body))
);

-- Product and batch page views that came from a scan, per day (Vietnam
-- time). No personal data: `lot` is '' for the product page.
CREATE TABLE scans (
    gtin  TEXT NOT NULL,
    lot   TEXT NOT NULL DEFAULT '',
    day   TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
    PRIMARY KEY (gtin, lot, day)
);
