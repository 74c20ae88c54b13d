-- Report intake: reports, their declared media, case numbers and timelines.

-- One row per report id; the case number is assigned with the row.
CREATE TABLE reports (
    report_id    TEXT    PRIMARY KEY NOT NULL,  -- hyphenated UUID from the phone
    case_year    INTEGER NOT NULL,
    case_seq     INTEGER NOT NULL,
    fingerprint  TEXT    NOT NULL,              -- protocol::sync::content_fingerprint
    receipt_hash TEXT    NOT NULL,              -- SHA-256 of the phone's receipt secret
    body         TEXT    NOT NULL,              -- the create body as received (JSON)
    created_at   INTEGER NOT NULL,              -- Unix ms, server clock
    complete     INTEGER NOT NULL DEFAULT 0,    -- 1 once every declared medium is stored
    UNIQUE (case_year, case_seq)
);

-- The last case sequence used in each year.
CREATE TABLE case_sequences (
    year INTEGER PRIMARY KEY NOT NULL,
    last INTEGER NOT NULL
);

-- Each medium the create declared; `received_at` is set only after its bytes
-- are durably in the object store under `object_key`.
CREATE TABLE media (
    report_id   TEXT    NOT NULL REFERENCES reports (report_id),
    idx         INTEGER NOT NULL,
    kind        TEXT    NOT NULL,               -- protocol MediumKind::code
    mime        TEXT    NOT NULL,
    bytes       INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    object_key  TEXT    NOT NULL,
    received_at INTEGER,                        -- Unix ms; NULL while missing
    PRIMARY KEY (report_id, idx)
);

-- A case's timeline, oldest first by `id`; `kind` is protocol's
-- CaseEventKind as JSON. `received` is written when the last medium arrives.
CREATE TABLE case_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id TEXT    NOT NULL REFERENCES reports (report_id),
    at        INTEGER NOT NULL,
    kind      TEXT    NOT NULL
);
CREATE INDEX case_events_report ON case_events (report_id, id);
