//! Typed configuration with embedded defaults.
//!
//! Every setting has a flag and an environment variable; with none given the
//! server listens on 127.0.0.1:8080, keeps its data under `./data` and serves
//! the app built by trunk into `./dist`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

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
}

impl Config {
    /// A configuration for tests: a free port and the given folders.
    pub fn for_tests(data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            dist_dir,
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
    }

    #[test]
    fn rejects_a_bad_bind_address() {
        let err = Config::try_parse_from(["greenwatch-server", "--bind", "not-an-address"]);
        assert!(err.is_err());
    }
}
