//! The rate limits shared by every instance on one PostgreSQL (migration
//! 0007): a token bucket per client (`rate_buckets`) and the failed logins
//! (`login_failures`). On SQLite the limiters stay in memory (one
//! instance) and these tables stay empty.
//!
//! A bucket is taken in one statement: the upsert locks its row, so
//! concurrent requests of one client, on any instance, each see the tokens
//! the other left. Tokens are counted in thousandths (BIGINT on both
//! backends) and refilled from the time between two requests, never
//! backwards.

use std::time::Duration;

use protocol::report::UnixMillis;
use sqlx::Row;

use super::error::StoreError;
use super::handle::Store;

/// Thousandths of a token: one request costs `PER_TOKEN`.
const PER_TOKEN: i64 = 1000;

impl Store {
    /// Takes one token from `key`'s bucket (`burst` tokens at most, `rate`
    /// more a second) at `now`: `Ok(())`, or how long until there is one.
    pub async fn take_shared_token(
        &self,
        key: &str,
        burst: u32,
        rate: u32,
        now: UnixMillis,
    ) -> Result<Result<(), Duration>, StoreError> {
        let full = i64::from(burst) * PER_TOKEN;
        // Thousandths per millisecond = tokens per second.
        let rate = i64::from(rate.max(1));
        let row = sqlx::query(
            "INSERT INTO rate_buckets AS b (key, milli_tokens, updated_at, allowed) \
             VALUES ($1, $2 - $4, $3, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               milli_tokens = CASE \
                 WHEN LEAST($2, b.milli_tokens + GREATEST(0, $3 - b.updated_at) * $5) >= $4 \
                 THEN LEAST($2, b.milli_tokens + GREATEST(0, $3 - b.updated_at) * $5) - $4 \
                 ELSE LEAST($2, b.milli_tokens + GREATEST(0, $3 - b.updated_at) * $5) END, \
               allowed = CASE \
                 WHEN LEAST($2, b.milli_tokens + GREATEST(0, $3 - b.updated_at) * $5) >= $4 \
                 THEN 1 ELSE 0 END, \
               updated_at = GREATEST(b.updated_at, $3) \
             RETURNING milli_tokens, allowed",
        )
        .bind(key)
        .bind(full)
        .bind(now.0)
        .bind(PER_TOKEN)
        .bind(rate)
        .fetch_one(&self.pool)
        .await?;
        let tokens: i64 = row.try_get("milli_tokens")?;
        let allowed: i64 = row.try_get("allowed")?;
        if allowed != 0 {
            return Ok(Ok(()));
        }
        let missing = (PER_TOKEN - tokens).max(1);
        let millis = u64::try_from((missing + rate - 1) / rate).unwrap_or(1);
        Ok(Err(Duration::from_millis(millis)))
    }

    /// Drops the buckets untouched since `before` (full again by then).
    pub async fn prune_shared_buckets(&self, before: UnixMillis) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM rate_buckets WHERE updated_at < $1")
            .bind(before.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The times of `key`'s failed logins after `since`, newest first, at
    /// most `limit`.
    pub async fn login_failures(
        &self,
        key: &str,
        since: UnixMillis,
        limit: usize,
    ) -> Result<Vec<UnixMillis>, StoreError> {
        let rows = sqlx::query(
            "SELECT at FROM login_failures WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3",
        )
        .bind(key)
        .bind(since.0)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(UnixMillis(row.try_get("at")?)))
            .collect()
    }

    /// Records a failed login against each of `keys` at `now`, and forgets
    /// failures older than `forget_before`.
    pub async fn record_login_failure(
        &self,
        keys: &[String],
        now: UnixMillis,
        forget_before: UnixMillis,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(forget_before.0)
            .execute(&mut *tx)
            .await?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
                .bind(key)
                .bind(now.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Forgets `key`'s failed logins (a successful login of that name).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
