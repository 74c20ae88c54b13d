-- Learn: one row per uploaded quiz result (protocol::quiz::QuizResultUpload).
-- No name, nickname or device id: participants may be children.
-- Portable SQL: the same text in migrations/sqlite and migrations/postgres.
CREATE TABLE quiz_results (
    id           TEXT   PRIMARY KEY NOT NULL,  -- QuizResultId, a UUID made on the device
    mode         TEXT   NOT NULL CHECK (mode IN ('solo', 'event')),
    event_id     TEXT,                         -- EventId (UUID); NULL for solo
    event_name   TEXT,                         -- EventName, trimmed; NULL for solo
    pack         TEXT   NOT NULL,              -- 'mixed' or a pack id
    correct      BIGINT NOT NULL,
    total        BIGINT NOT NULL,
    missed       TEXT   NOT NULL,              -- JSON array of question ids
    finished_at  BIGINT NOT NULL,              -- Unix ms, the device's clock
    received_at  BIGINT NOT NULL,              -- Unix ms, the server's clock
    content_hash TEXT   NOT NULL,              -- QuizResultUpload::fingerprint
    CHECK ((mode = 'event') = (event_id IS NOT NULL))
);
CREATE INDEX quiz_results_event ON quiz_results (event_id);
