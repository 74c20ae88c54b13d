-- Open311 GeoReport v2: the keys that may file requests, and what each
-- Open311 request added to its report (the report itself is an ordinary
-- row of 0001's `reports`, its case an ordinary timeline).

-- Keys made by `greenwatch-server open311 key add`; only the SHA-256 of the
-- key (lowercase hex) is stored. A key with `revoked_at` set files nothing.
CREATE TABLE open311_keys (
    id         TEXT   PRIMARY KEY NOT NULL,   -- UUID
    name       TEXT   NOT NULL UNIQUE,
    key_hash   TEXT   NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,               -- Unix ms
    revoked_at BIGINT                         -- Unix ms; NULL while valid
);

-- One row per report filed through Open311, written in the report's
-- creating transaction.
CREATE TABLE open311_requests (
    report_id TEXT NOT NULL PRIMARY KEY REFERENCES reports (report_id),
    token     TEXT NOT NULL UNIQUE,           -- UUID answered with the request
    key_id    TEXT NOT NULL REFERENCES open311_keys (id),
    media_url TEXT                            -- protocol::open311::MediaUrl
);

CREATE INDEX reports_created_at ON reports (created_at);
