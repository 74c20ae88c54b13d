//! Typed configuration with embedded defaults.
//!
//! Every setting has a flag and an environment variable; with none given the
//! server listens on 127.0.0.1:8080, keeps its data under `./data` and serves
//! the app built by trunk into `./dist`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::rate_limit::Limits;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "greenwatch-server",
    version,
    about = "GreenWatch server: the app and its API"
)]
pub struct Config {
    /// Address and port to listen on (port 0 picks a free port).
    #[arg(long, env = "GREENWATCH_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Folder for the server's data (database and media).
    #[arg(long, env = "GREENWATCH_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Folder holding the app as built by `trunk build --release`.
    #[arg(long, env = "GREENWATCH_DIST_DIR", default_value = "dist")]
    pub dist_dir: PathBuf,

    /// Requests to `/api/` one client may send in a row (the default lets a
    /// phone send twenty queued reports with all their media at once).
    #[arg(
        long,
        env = "GREENWATCH_RATE_LIMIT_BURST",
        default_value_t = 300,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub rate_limit_burst: u32,

    /// Requests to `/api/` a client regains each second.
    #[arg(
        long,
        env = "GREENWATCH_RATE_LIMIT_PER_SECOND",
        default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub rate_limit_per_second: u32,
}

impl Config {
    /// A configuration for tests: a free port and the given folders.
    pub fn for_tests(data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            dist_dir,
            rate_limit_burst: 300,
            rate_limit_per_second: 10,
        }
    }

    /// The per-client limits of `/api/`.
    pub fn rate_limits(&self) -> Limits {
        Limits {
            burst: self.rate_limit_burst,
            refill_per_second: self.rate_limit_per_second,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_local_and_embedded() {
        let config = Config::try_parse_from(["greenwatch-server"]).expect("defaults parse");
        assert_eq!(config.bind, SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert_eq!(config.dist_dir, PathBuf::from("dist"));
        assert_eq!(config.rate_limit_burst, 300);
        assert_eq!(config.rate_limit_per_second, 10);
    }

    #[test]
    fn rate_limits_are_flags_and_never_zero() {
        let config = Config::try_parse_from([
            "greenwatch-server",
            "--rate-limit-burst",
            "5",
            "--rate-limit-per-second",
            "2",
        ])
        .expect("parse");
        assert_eq!(
            config.rate_limits(),
            Limits {
                burst: 5,
                refill_per_second: 2
            }
        );
        for flag in ["--rate-limit-burst", "--rate-limit-per-second"] {
            assert!(Config::try_parse_from(["greenwatch-server", flag, "0"]).is_err());
        }
    }

    #[test]
    fn rejects_a_bad_bind_address() {
        let err = Config::try_parse_from(["greenwatch-server", "--bind", "not-an-address"]);
        assert!(err.is_err());
    }
}
