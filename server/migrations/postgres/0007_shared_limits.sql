-- The rate limits every instance shares on one PostgreSQL: the per-client
-- token bucket of /api/ and /open311/ (server/src/store/limits.rs) and the
-- failed staff logins. On SQLite (one instance) both limiters stay in the
-- server's memory and these tables stay empty.
-- Portable SQL: the same text in migrations/sqlite and migrations/postgres.

-- One bucket per client key; tokens in thousandths.
CREATE TABLE rate_buckets (
    key          TEXT   PRIMARY KEY NOT NULL,  -- "ip:<client address or /64>"
    milli_tokens BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,              -- Unix ms of the last request
    allowed      BIGINT NOT NULL               -- 1 if that request got a token
);
CREATE INDEX rate_buckets_updated ON rate_buckets (updated_at);

-- One row per failed login and key ("user:<name>" and "client:<address>").
CREATE TABLE login_failures (
    key TEXT   NOT NULL,
    at  BIGINT NOT NULL                        -- Unix ms
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
