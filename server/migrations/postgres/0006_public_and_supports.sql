-- What the public sees of a case, and "I see this too" (supports).
-- Portable SQL: the same text in migrations/sqlite and migrations/postgres.

-- The short summary staff may publish when they accept a case
-- (protocol::public::PublicSummary). NULL: none, so nothing about the
-- problem itself is published.
ALTER TABLE reports ADD COLUMN public_summary TEXT;

-- One row per supporter of a case. `source` 'citizen': a citizen's "I see
-- this too", `support_id` the UUID their phone made (protocol's SupportId),
-- with its create body, fingerprint and receipt hash, like a report.
-- 'duplicate': the reporter of a case staff merged into another
-- (`support_id` is 'merged:' and that report's id, which no UUID can be;
-- `receipt_hash` is that report's). `report_id` is the case the support
-- counts for now (it moves when its case is merged), `filed_on` the case
-- it was filed on.
CREATE TABLE supports (
    support_id   TEXT   PRIMARY KEY NOT NULL,
    report_id    TEXT   NOT NULL REFERENCES reports (report_id),
    filed_on     TEXT   NOT NULL REFERENCES reports (report_id),
    source       TEXT   NOT NULL CHECK (source IN ('citizen', 'duplicate')),
    fingerprint  TEXT,                          -- protocol::support::support_fingerprint; NULL for 'duplicate'
    receipt_hash TEXT   NOT NULL,               -- SHA-256 of the phone's receipt secret
    body         TEXT,                          -- the CreateSupport as received (JSON); NULL for 'duplicate'
    created_at   BIGINT NOT NULL,               -- Unix ms, server clock
    complete     BIGINT NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    completed_at BIGINT                         -- Unix ms: its last medium arrived, or it was merged
);
CREATE INDEX supports_report ON supports (report_id);

-- Each medium a support declared, as 0001's `media` for reports.
CREATE TABLE support_media (
    support_id  TEXT   NOT NULL REFERENCES supports (support_id),
    idx         BIGINT NOT NULL,
    kind        TEXT   NOT NULL,                -- protocol MediumKind::code
    mime        TEXT   NOT NULL,
    bytes       BIGINT NOT NULL,
    sha256      TEXT   NOT NULL,
    object_key  TEXT   NOT NULL,
    received_at BIGINT,                         -- Unix ms; NULL while missing
    PRIMARY KEY (support_id, idx)
);

-- Which cases' timelines a support's receipt opens: the case it was filed
-- on and every case that one was merged into since (a merge copies the
-- rows of the duplicate to the original), so a phone following a merged
-- case can move on to the original with the same receipt.
CREATE TABLE case_followers (
    report_id  TEXT NOT NULL REFERENCES reports (report_id),
    support_id TEXT NOT NULL REFERENCES supports (support_id),
    PRIMARY KEY (report_id, support_id)
);
