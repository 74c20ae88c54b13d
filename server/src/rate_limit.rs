//! Per-client rate limiting of `/api/`: a token bucket per client address.
//!
//! Each client may send `burst` requests in a row (a phone sending twenty
//! queued reports, each a create and up to twelve media, is about 260), and
//! gets `refill_per_second` more each second. Over that the answer is 429
//! with the `rate_limited` `ApiError` and `Retry-After` in seconds, which the
//! app's sync machine honours. App files are never limited.
//!
//! The client is `client_addr::ClientIp`: the peer address, or behind a
//! trusted proxy the address it forwarded (IPv6 by its /64, as one phone
//! may use many addresses of its prefix). Without `ConnectInfo` (tests
//! drive the `Router` without a socket) all requests share one bucket.
//!
//! On SQLite (one instance) the buckets and the failed logins live in this
//! instance's memory. On PostgreSQL they live in the database
//! (`store/limits.rs`, migration 0007), so every instance shares one limit
//! and a restart forgets nothing; should the database not answer, the
//! instance falls back to its own memory for that request rather than
//! refusing or letting everything through.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use protocol::report::UnixMillis;
use protocol::{ApiError, ErrorCode};

use crate::client_addr::ClientIp;
use crate::clock;
use crate::store::{Backend, Store};

/// Failed logins allowed per name and per client within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: usize = 5;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Open311 `POST requests` per API key, over the per-client limit every
/// route has: 60 in a row, then one a second (3600 an hour).
pub const OPEN311_POST_LIMITS: Limits = Limits {
    burst: 60,
    refill_per_second: 1,
};

/// Above this many tracked clients, buckets that have refilled are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// The limits of one client's bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Requests a client may send in a row.
    pub burst: u32,
    /// Requests added back to the bucket each second.
    pub refill_per_second: u32,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// The buckets of every client (a client address by default; Open311 keys
/// its POSTs by API key); cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct RateLimiter<K = IpAddr> {
    limits: Limits,
    buckets: Arc<Mutex<HashMap<K, Bucket>>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits: Limits {
                burst: limits.burst.max(1),
                refill_per_second: limits.refill_per_second.max(1),
            },
            buckets: Arc::default(),
        }
    }

    /// Takes one token from `client`'s bucket at `now`; if there is none,
    /// how long until there is.
    pub fn check(&self, client: K, now: Instant) -> Result<(), Duration> {
        let burst = f64::from(self.limits.burst);
        let rate = f64::from(self.limits.refill_per_second);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, bucket| {
                bucket.tokens + now.saturating_duration_since(bucket.updated).as_secs_f64() * rate
                    < burst
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / rate))
        }
    }
}

/// Failed logins per key (a username, a client) in a sliding window, in
/// this instance's memory.
#[derive(Debug, Clone, Default)]
pub struct MemoryLogins {
    failures: Arc<Mutex<HashMap<String, VecDeque<Instant>>>>,
}

impl MemoryLogins {
    /// Ok if no key has used up its failures at `now`; else how long until
    /// one is free again.
    pub fn check(&self, keys: &[String], now: Instant) -> Result<(), Duration> {
        let mut failures = self.lock();
        let mut wait = None;
        for key in keys {
            if let Some(times) = failures.get_mut(key) {
                prune(times, now);
                if times.len() >= MAX_FAILURES {
                    let oldest = times[times.len() - MAX_FAILURES];
                    let free_at = oldest + FAILURE_WINDOW;
                    let this = free_at.saturating_duration_since(now);
                    wait = Some(wait.map_or(this, |w: Duration| w.max(this)));
                }
            }
        }
        wait.map_or(Ok(()), Err)
    }

    pub fn record_failure(&self, keys: &[String], now: Instant) {
        let mut failures = self.lock();
        if failures.len() > 10_000 {
            failures.retain(|_, times| {
                prune(times, now);
                !times.is_empty()
            });
        }
        for key in keys {
            failures.entry(key.clone()).or_default().push_back(now);
        }
    }

    /// Forgets a key's failures (a successful login of that name).
    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|at| now.saturating_duration_since(*at) >= FAILURE_WINDOW)
    {
        times.pop_front();
    }
}

/// Failed staff logins: [`MAX_FAILURES`] per name and per client within
/// [`FAILURE_WINDOW`]; in the database on PostgreSQL (shared), else in
/// memory. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct LoginLimiter {
    memory: MemoryLogins,
    shared: Option<Store>,
}

fn window_millis() -> i64 {
    i64::try_from(FAILURE_WINDOW.as_millis()).unwrap_or(i64::MAX)
}

impl LoginLimiter {
    /// Shared through `store` when it is PostgreSQL.
    pub fn new(store: &Store) -> Self {
        Self {
            memory: MemoryLogins::default(),
            shared: (store.backend() == Backend::Postgres).then(|| store.clone()),
        }
    }

    /// The keys a login attempt counts against.
    pub fn keys(typed_username: &str, client: ClientIp) -> [String; 2] {
        [
            format!("user:{}", typed_username.trim().to_lowercase()),
            format!("client:{}", client_key(client.0)),
        ]
    }

    /// Ok if no key has used up its failures; else how long until one is
    /// free again.
    pub async fn check(&self, keys: &[String]) -> Result<(), Duration> {
        if let Some(store) = &self.shared {
            match shared_login_check(store, keys).await {
                Ok(decision) => return decision,
                Err(error) => {
                    tracing::warn!(%error, "shared login limiter unavailable; using memory")
                }
            }
        }
        self.memory.check(keys, Instant::now())
    }

    pub async fn record_failure(&self, keys: &[String]) {
        if let Some(store) = &self.shared {
            let now = clock::now();
            let forget = UnixMillis(now.0.saturating_sub(window_millis()));
            match store.record_login_failure(keys, now, forget).await {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(%error, "shared login limiter unavailable; using memory")
                }
            }
        }
        self.memory.record_failure(keys, Instant::now());
    }

    /// Forgets a key's failures (a successful login of that name).
    pub async fn clear(&self, key: &str) {
        if let Some(store) = &self.shared {
            if let Err(error) = store.clear_login_failures(key).await {
                tracing::warn!(%error, "shared login limiter unavailable");
            }
        }
        self.memory.clear(key);
    }
}

async fn shared_login_check(
    store: &Store,
    keys: &[String],
) -> Result<Result<(), Duration>, crate::store::StoreError> {
    let now = clock::now();
    let since = UnixMillis(now.0.saturating_sub(window_millis()));
    let mut wait: Option<i64> = None;
    for key in keys {
        let times = store.login_failures(key, since, MAX_FAILURES).await?;
        if times.len() >= MAX_FAILURES {
            // The oldest of the last MAX_FAILURES frees a place.
            let oldest = times[MAX_FAILURES - 1].0;
            let this = (oldest + window_millis() - now.0).max(1);
            wait = Some(wait.map_or(this, |w| w.max(this)));
        }
    }
    Ok(wait.map_or(Ok(()), |ms| {
        Err(Duration::from_millis(u64::try_from(ms).unwrap_or(1)))
    }))
}

/// The per-client limit of `/api/`, `/open311/` and the transparency page:
/// in the database on PostgreSQL (one limit for every instance), else in
/// memory. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ClientLimiter {
    limits: Limits,
    memory: RateLimiter<IpAddr>,
    shared: Option<Store>,
    /// Requests since the shared buckets were last pruned.
    counted: Arc<AtomicU64>,
}

/// The shared buckets are pruned once every this many requests.
const PRUNE_EVERY: u64 = 4096;

impl ClientLimiter {
    pub fn new(limits: Limits, store: &Store) -> Self {
        Self {
            limits,
            memory: RateLimiter::new(limits),
            shared: (store.backend() == Backend::Postgres).then(|| store.clone()),
            counted: Arc::default(),
        }
    }

    /// Takes one token from `client`'s bucket.
    pub async fn check(&self, client: IpAddr) -> Result<(), Duration> {
        let key = client_key(client);
        if let Some(store) = &self.shared {
            let now = clock::now();
            if self.counted.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
                // A bucket untouched for longer than it takes to refill is full.
                let refill = i64::from(self.limits.burst) * 1000
                    / i64::from(self.limits.refill_per_second.max(1));
                let before = UnixMillis(now.0.saturating_sub(refill + 60_000));
                if let Err(error) = store.prune_shared_buckets(before).await {
                    tracing::warn!(%error, "pruning the shared rate limit failed");
                }
            }
            match store
                .take_shared_token(
                    &format!("ip:{key}"),
                    self.limits.burst,
                    self.limits.refill_per_second,
                    now,
                )
                .await
            {
                Ok(decision) => return decision,
                Err(error) => tracing::warn!(%error, "shared rate limit unavailable; using memory"),
            }
        }
        self.memory.check(key, Instant::now())
    }
}

/// The bucket a client address counts against.
pub fn client_key(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let segments = ip.segments();
                IpAddr::V6(Ipv6Addr::new(
                    segments[0],
                    segments[1],
                    segments[2],
                    segments[3],
                    0,
                    0,
                    0,
                    0,
                ))
            }
        },
        ip => ip,
    }
}

/// The middleware: counts the request against its client's bucket.
pub async fn limit(State(limiter): State<ClientLimiter>, req: Request, next: Next) -> Response {
    let client = req
        .extensions()
        .get::<ClientIp>()
        .copied()
        .unwrap_or(ClientIp::UNKNOWN);
    match limiter.check(client.0).await {
        Ok(()) => next.run(req).await,
        Err(wait) => too_many_requests(wait),
    }
}

/// 429 with `Retry-After` (whole seconds, at least 1) and the JSON error.
pub fn too_many_requests(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    tracing::debug!(retry_after = seconds, "rate limited");
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(ApiError::from(ErrorCode::RateLimited)),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

    #[test]
    fn a_burst_then_refill() {
        let limiter = RateLimiter::new(Limits {
            burst: 3,
            refill_per_second: 2,
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(CLIENT, t0).is_ok());
        }
        let wait = limiter.check(CLIENT, t0).expect_err("bucket empty");
        assert_eq!(wait, Duration::from_millis(500));
        // Another client has its own bucket.
        assert!(limiter
            .check(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)), t0)
            .is_ok());
        // Half a second later one token is back.
        let t1 = t0 + Duration::from_millis(500);
        assert!(limiter.check(CLIENT, t1).is_ok());
        assert!(limiter.check(CLIENT, t1).is_err());
        // Never more than the burst, however long the wait.
        let t2 = t1 + Duration::from_secs(3600);
        for _ in 0..3 {
            assert!(limiter.check(CLIENT, t2).is_ok());
        }
        assert!(limiter.check(CLIENT, t2).is_err());
    }

    #[test]
    fn ipv6_clients_are_their_64_prefix() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("addr");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("addr");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("addr");
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().expect("addr");
        assert_eq!(client_key(mapped), CLIENT);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        for (wait, expected) in [
            (Duration::from_millis(1), "1"),
            (Duration::from_millis(1000), "1"),
            (Duration::from_millis(1001), "2"),
            (Duration::ZERO, "1"),
        ] {
            let response = too_many_requests(wait);
            assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(response.headers()[header::RETRY_AFTER], expected);
        }
    }

    #[test]
    fn five_failures_in_fifteen_minutes_then_a_wait() {
        let limiter = MemoryLogins::default();
        let keys = LoginLimiter::keys("Admin", ClientIp::UNKNOWN);
        let t0 = Instant::now();
        for i in 0..MAX_FAILURES {
            assert!(limiter.check(&keys, t0).is_ok(), "attempt {i}");
            limiter.record_failure(&keys, t0 + Duration::from_secs(i as u64));
        }
        let wait = limiter
            .check(&keys, t0 + Duration::from_secs(10))
            .expect_err("limited");
        assert_eq!(wait, FAILURE_WINDOW - Duration::from_secs(10));
        // The same name from elsewhere is limited too (per name) ...
        let elsewhere = LoginLimiter::keys("admin", ClientIp(IpAddr::from([192, 0, 2, 9])));
        assert!(limiter.check(&elsewhere, t0).is_err());
        // ... and once the oldest failure is 15 minutes old, one more try.
        assert!(limiter.check(&keys, t0 + FAILURE_WINDOW).is_ok());
        limiter.clear(&keys[0]);
        limiter.clear(&keys[1]);
        assert!(limiter.check(&keys, t0).is_ok());
    }
}
