//! Per-client rate limiting of `/api/`: a token bucket per client address.
//!
//! Each client may send `burst` requests in a row (a phone sending twenty
//! queued reports, each a create and up to twelve media, is about 260), and
//! gets `refill_per_second` more each second. Over that the answer is 429
//! with the `rate_limited` `ApiError` and `Retry-After` in seconds, which the
//! app's sync machine honours. App files are never limited.
//!
//! The client is the peer address from `ConnectInfo` (IPv6 by its /64, as
//! one phone may use many addresses of its prefix). Without `ConnectInfo`
//! (tests drive the `Router` without a socket) all requests share one bucket.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use protocol::{ApiError, ErrorCode};

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

/// Failed logins per key (a username, a client) in a sliding window.
#[derive(Debug, Clone, Default)]
pub struct LoginLimiter {
    failures: Arc<Mutex<HashMap<String, VecDeque<Instant>>>>,
}

impl LoginLimiter {
    /// The keys a login attempt counts against.
    pub fn keys(typed_username: &str, peer: Option<SocketAddr>) -> [String; 2] {
        [
            format!("user:{}", typed_username.trim().to_lowercase()),
            format!("client:{}", client_key(peer)),
        ]
    }

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

/// The peer address, when the server runs with `ConnectInfo` (tests drive
/// the Router without one).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| *addr),
        ))
    }
}

/// The bucket a peer address counts against.
pub fn client_key(peer: Option<SocketAddr>) -> IpAddr {
    match peer.map(|peer| peer.ip()) {
        Some(IpAddr::V6(ip)) => match ip.to_ipv4_mapped() {
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
        Some(ip) => ip,
        None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
    }
}

/// The middleware: counts the request against its client's bucket.
pub async fn limit(State(limiter): State<RateLimiter>, req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| *addr);
    match limiter.check(client_key(peer), Instant::now()) {
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
        let a: SocketAddr = "[2001:db8:1:2:aaaa::1]:1000".parse().expect("addr");
        let b: SocketAddr = "[2001:db8:1:2:bbbb::2]:2000".parse().expect("addr");
        let c: SocketAddr = "[2001:db8:1:3::1]:1000".parse().expect("addr");
        assert_eq!(client_key(Some(a)), client_key(Some(b)));
        assert_ne!(client_key(Some(a)), client_key(Some(c)));
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:80".parse().expect("addr");
        assert_eq!(client_key(Some(mapped)), CLIENT);
        assert_eq!(client_key(None), IpAddr::V4(Ipv4Addr::UNSPECIFIED));
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
        let limiter = LoginLimiter::default();
        let keys = LoginLimiter::keys("Admin", None);
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
        let elsewhere = LoginLimiter::keys("admin", Some(SocketAddr::from(([192, 0, 2, 9], 1))));
        assert!(limiter.check(&elsewhere, t0).is_err());
        // ... and once the oldest failure is 15 minutes old, one more try.
        assert!(limiter.check(&keys, t0 + FAILURE_WINDOW).is_ok());
        limiter.clear(&keys[0]);
        limiter.clear(&keys[1]);
        assert!(limiter.check(&keys, t0).is_ok());
    }
}
