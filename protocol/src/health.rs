//! `GET /api/health`: the app's real reachability check.
//!
//! The app never trusts `navigator.onLine`; it asks the server. The answer
//! names the server's version so a client can tell which build it talks to.

use serde::{Deserialize, Serialize};

/// The path of the health endpoint, shared by the server's router and the app.
pub const HEALTH_PATH: &str = "/api/health";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResponse {
    pub status: HealthStatus,
    /// The server's package version.
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let health = HealthResponse {
            status: HealthStatus::Ok,
            version: "0.1.0".into(),
        };
        let json = serde_json::to_string(&health).expect("serialise");
        assert_eq!(json, r#"{"status":"ok","version":"0.1.0"}"#);
        let back: HealthResponse = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, health);
    }

    #[test]
    fn rejects_an_unknown_status() {
        let err = serde_json::from_str::<HealthResponse>(r#"{"status":"maybe","version":"1"}"#);
        assert!(err.is_err());
    }
}
