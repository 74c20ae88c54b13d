-- Case handling by bureau staff: accounts, sessions, the audit log, and who
-- wrote each timeline event. Staff actions append to 0001's `case_events`,
-- the timeline the citizen reads.

-- Staff accounts. `password_hash` is an Argon2id PHC string; no plaintext.
CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,         -- protocol::staff::Username (lowercase)
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('operator', 'admin')),
    created_at    INTEGER NOT NULL                 -- Unix ms
);

-- Signed-in sessions. Only the SHA-256 (lowercase hex) of the cookie's
-- random token is stored; a session is valid while `expires_at` is ahead.
CREATE TABLE staff_sessions (
    token_hash TEXT    PRIMARY KEY NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES staff_users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);

-- Every staff action, written in the same transaction as the action.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,                    -- Unix ms
    user_id   INTEGER REFERENCES staff_users (id), -- NULL: unknown name, command line
    actor     TEXT    NOT NULL,                    -- username (as typed for a failed login)
    action    TEXT    NOT NULL,                    -- protocol::staff::AuditAction code
    report_id TEXT    REFERENCES reports (report_id),
    detail    TEXT
);
CREATE INDEX audit_log_report ON audit_log (report_id);

-- Who appended a timeline event (NULL for the server's own `received`).
ALTER TABLE case_events ADD COLUMN staff_user_id INTEGER REFERENCES staff_users (id);
