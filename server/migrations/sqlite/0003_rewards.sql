-- The communication subsidy (通讯补贴) for a genuine tip, and disabled staff
-- accounts. Portable SQL: the same text in migrations/sqlite and migrations/postgres.

-- At most one reward per case (its report). The rules of which step follows
-- which are protocol::staff::reward's; the CHECKs only keep garbage out.
CREATE TABLE case_rewards (
    report_id   TEXT   PRIMARY KEY NOT NULL REFERENCES reports (report_id),
    amount_fen  BIGINT NOT NULL CHECK (amount_fen BETWEEN 1 AND 50000),
    state       TEXT   NOT NULL CHECK (state IN ('proposed', 'approved', 'paid', 'rejected')),
    proposed_by BIGINT NOT NULL REFERENCES staff_users (id),
    proposed_at BIGINT NOT NULL,                 -- Unix ms
    decided_by  BIGINT REFERENCES staff_users (id), -- who took the last step after proposing
    updated_at  BIGINT NOT NULL                  -- Unix ms
);

-- A disabled account (NULL: enabled) cannot sign in and has no sessions.
ALTER TABLE staff_users ADD COLUMN disabled_at BIGINT;
