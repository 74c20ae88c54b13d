//! Staff authentication: Argon2id password hashes, session tokens and
//! cookies, and the extractors every staff route
//! takes ([`StaffSession`] for any staff member, [`AdminSession`] for
//! administrators), so no staff handler runs without a valid session of
//! the right role: 401 without one or with an expired one, 403 for the
//! wrong role.

use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use protocol::staff::{Role, SESSION_COOKIE};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::StaffUser;

/// How long a session lasts from login (checked by the server).
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing: {0}")]
    Hash(String),
    #[error("random generator: {0}")]
    Random(String),
}

/// `N` bytes from the operating system's generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], PasswordError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| PasswordError::Random(error.to_string()))?;
    Ok(bytes)
}

/// An Argon2id PHC string of `password` (the crate's default parameters,
/// a random 16-byte salt). Slow on purpose: call it off the async threads.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|error| PasswordError::Hash(error.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordError::Hash(error.to_string()))
}

/// Whether `password` matches the PHC string `hash` (false for a hash that
/// does not parse).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a password nobody knows, verified for unknown names so they
/// take as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let password = random_bytes::<32>()
            .map(|bytes| URL_SAFE_NO_PAD.encode(bytes))
            .unwrap_or_else(|_| "greenwatch-dummy-password".to_owned());
        hash_password(&password).unwrap_or_else(|_| {
            // A valid PHC string of the same cost, should hashing fail.
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$\
             2Zq8PoUeY0h0d9OjnN0tMZ1Ydb/U1/ar9nYcOxXgVlg"
                .to_owned()
        })
    })
}

/// A new session token: 32 random bytes, base64url (43 characters).
pub fn new_session_token() -> Result<String, PasswordError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// What the database keeps of a token: its SHA-256 in lowercase hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The session token in a request's cookies, if it has the right shape.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, token)| token.trim())
        .filter(|token| {
            token.len() == 43
                && token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The `Set-Cookie` value of a new session.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        SESSION_LIFETIME.as_secs()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A valid, unexpired staff session of any role: 401 otherwise.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub user: StaffUser,
    /// The SHA-256 of its token (what the database keys it by).
    pub token_hash: String,
}

impl FromRequestParts<AppState> for StaffSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(AppError::Unauthorized)?;
        let token_hash = token_hash(token);
        let user = state
            .store
            .session(&token_hash, clock::now())
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(StaffSession { user, token_hash })
    }
}

/// A valid session of an administrator: 401 without a session, 403 for
/// an operator.
#[derive(Debug, Clone)]
pub struct AdminSession(pub StaffSession);

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = StaffSession::from_request_parts(parts, state).await?;
        if session.user.role.allows(Role::Admin) {
            Ok(AdminSession(session))
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_strings_that_verify() {
        let hash = hash_password("correct horse battery staple").expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(!hash.contains("horse"));
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
        // A new salt each time.
        assert_ne!(
            hash,
            hash_password("correct horse battery staple").expect("hash")
        );
        assert!(dummy_hash().starts_with("$argon2id$"));
    }

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let a = new_session_token().expect("token");
        let b = new_session_token().expect("token");
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn the_cookie_is_found_among_others_and_checked() {
        let token = new_session_token().expect("token");
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=1; {SESSION_COOKIE}={token}; b=2")).expect("h"),
        );
        assert_eq!(session_token(&headers), Some(token.as_str()));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("{SESSION_COOKIE}=short")).expect("h"),
        );
        assert_eq!(session_token(&headers), None);
        assert_eq!(session_token(&HeaderMap::new()), None);
    }

    #[test]
    fn cookies_are_http_only_strict_and_secure_only_over_https() {
        let cookie = session_cookie("t", false);
        let cookie = cookie.to_str().expect("ascii");
        for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(cookie.contains(part), "{cookie}");
        }
        assert!(!cookie.contains("Secure"));
        assert!(session_cookie("t", true)
            .to_str()
            .expect("ascii")
            .ends_with("; Secure"));
        assert!(cleared_cookie(false)
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0"));
    }
}
