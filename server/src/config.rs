//! Typed configuration with embedded defaults.
//!
//! Every setting has a flag and an environment variable; with none given the
//! server listens on 127.0.0.1:8080, keeps its data under `./data` (the
//! SQLite database `greenwatch.db` and the media) and serves the app built
//! by trunk into `./dist`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use protocol::staff::Role;

use crate::client_addr::Cidr;
use crate::rate_limit::Limits;
use crate::store::{DatabaseUrl, MediaUrl, StoreLocation};

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

    /// Folder for the server's data (database and media). Also after
    /// `staff add`.
    #[arg(
        long,
        env = "GREENWATCH_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// The database, instead of `greenwatch.db` in the data folder:
    /// `postgres://user:password@host:5432/database` (PostgreSQL; several
    /// instances may share it) or `sqlite:path`. Also for `staff add`.
    #[arg(
        long,
        env = "GREENWATCH_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true,
        global = true
    )]
    pub database_url: Option<DatabaseUrl>,

    /// The media (photos and voice clips) in an S3-compatible bucket
    /// instead of `<data-dir>/media`: `s3://bucket` or `s3://bucket/prefix`.
    /// Endpoint, region and credentials come from `AWS_ENDPOINT`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`
    /// (`AWS_ALLOW_HTTP=true` for plain http); requests are path-style.
    #[arg(long, env = "GREENWATCH_MEDIA_URL", value_name = "URL", global = true)]
    pub media_url: Option<MediaUrl>,

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

    /// A proxy or load balancer in front of the server (an address or a
    /// network, such as 10.0.0.0/8; repeat the flag, or separate with
    /// commas in the variable). Only requests from these peers have their
    /// `Forwarded` / `X-Forwarded-For` read: the client is the first address
    /// from the right that is not a trusted proxy. None by default: the
    /// client is the TCP peer.
    #[arg(
        long = "trusted-proxy",
        env = "GREENWATCH_TRUSTED_PROXIES",
        value_name = "CIDR",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<Cidr>,

    /// The address people open the server at. When it starts with
    /// `https://`, the staff session cookie is marked `Secure`.
    #[arg(
        long,
        env = "GREENWATCH_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,

    /// A folder of quiz pack files (`*.json`, the schema of
    /// `content/quiz/README.md`) served beside the packs built in: a pack
    /// whose id is built in replaces it only with a higher `version`; a new
    /// id is added. Every file is checked at start; an invalid one stops
    /// the server with its name and the problem.
    #[arg(long, env = "GREENWATCH_QUIZ_DIR")]
    pub quiz_dir: Option<PathBuf>,

    /// A reporting-channels file (the schema of `content/channels/README.md`)
    /// served instead of the built-in list: the bureau's own numbers and
    /// places. Its `version` must be higher than the built-in one. Checked at
    /// start; an invalid file stops the server with its name and the problem.
    #[arg(long, env = "GREENWATCH_CHANNELS_FILE")]
    pub channels_file: Option<PathBuf>,

    /// Without a command the server serves; `staff add` creates a staff
    /// account and `open311 key add` an Open311 API key, then exit.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What the binary does besides serving.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Staff accounts.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Open311 GeoReport v2 (`/open311/v2`).
    #[command(subcommand)]
    Open311(Open311Command),
    /// Copies this installation (stopped; SQLite in the data folder) into
    /// an empty PostgreSQL database, and with `--to-media-url` its media
    /// into an empty S3-compatible bucket, every medium checked by its
    /// SHA-256. Safe to run again after an interruption.
    Migrate(MigrateArgs),
    /// Imports files of unsent reports saved by phones ("Save unsent
    /// reports to a file"): each report becomes a case once, under its own
    /// id, so the phone's later sync finds it there. Each file is checked
    /// whole first: a bad one changes nothing.
    ImportReports(ImportArgs),
}

/// The files `import-reports` imports.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The `.zip` files the phones saved.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
}

/// Where `migrate` copies to.
#[derive(Debug, Clone, clap::Args)]
pub struct MigrateArgs {
    /// The empty PostgreSQL database: `postgres://user:password@host/db`.
    #[arg(long, value_name = "URL", hide_env_values = true)]
    pub to_database_url: DatabaseUrl,
    /// An empty S3-compatible bucket (or prefix) for the media
    /// (`s3://bucket/prefix`, with the `AWS_*` variables); without it the
    /// media stay in the data folder.
    #[arg(long, value_name = "URL")]
    pub to_media_url: Option<MediaUrl>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Open311Command {
    /// API keys that may file requests.
    #[command(subcommand)]
    Key(Open311KeyCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum Open311KeyCommand {
    /// Creates an API key and prints it once; only its SHA-256 is stored.
    Add {
        /// Who the key is for (1 to 64 characters), unique.
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum StaffCommand {
    /// Creates a staff account (the first administrator too) in the data
    /// folder's database. The password is read from standard input (its
    /// first line), so it appears in no process list or shell history.
    Add {
        /// 3 to 32 characters: a-z, 0-9, '.', '_', '-'.
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Read the password from standard input (the default; accepted
        /// for clarity in scripts).
        #[arg(long)]
        password_stdin: bool,
    },
}

/// A role on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Operator,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Operator => Role::Operator,
        }
    }
}

impl Config {
    /// A configuration for tests: a free port and the given folders.
    pub fn for_tests(data_dir: PathBuf, dist_dir: PathBuf) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            database_url: None,
            media_url: None,
            dist_dir,
            rate_limit_burst: 300,
            rate_limit_per_second: 10,
            trusted_proxies: Vec::new(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            quiz_dir: None,
            channels_file: None,
            command: None,
        }
    }

    /// Where the store keeps its data.
    pub fn store_location(&self) -> StoreLocation {
        StoreLocation {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            media_url: self.media_url.clone(),
        }
    }

    /// Whether cookies get `Secure`: the server is reached over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .trim()
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
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
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert!(!config.secure_cookies());
        assert_eq!(config.quiz_dir, None);
        assert_eq!(config.channels_file, None);
        assert!(config.command.is_none());
        assert!(config.database_url.is_none());
    }

    #[test]
    fn the_database_url_is_a_flag_for_serving_and_staff_add() {
        let url = "postgres://gw:pw@db:5432/gw";
        let config =
            Config::try_parse_from(["greenwatch-server", "--database-url", url]).expect("parse");
        assert_eq!(
            config.store_location().database_url,
            Some(DatabaseUrl::from(url.to_owned()))
        );
        let config = Config::try_parse_from([
            "greenwatch-server",
            "staff",
            "add",
            "--username",
            "admin",
            "--role",
            "admin",
            "--database-url",
            url,
        ])
        .expect("parse");
        assert_eq!(config.database_url, Some(DatabaseUrl::from(url.to_owned())));
    }

    #[test]
    fn the_media_url_is_a_flag_and_must_name_a_bucket() {
        let config =
            Config::try_parse_from(["greenwatch-server", "--media-url", "s3://gw-media/city"])
                .expect("parse");
        assert_eq!(
            config.store_location().media_url.map(|url| url.to_string()),
            Some("s3://gw-media/city".to_owned())
        );
        assert!(
            Config::try_parse_from(["greenwatch-server", "--media-url", "/srv/media"]).is_err()
        );
        assert!(Config::try_parse_from(["greenwatch-server"])
            .expect("parse")
            .media_url
            .is_none());
    }

    #[test]
    fn trusted_proxies_repeat_and_are_checked() {
        let config = Config::try_parse_from([
            "greenwatch-server",
            "--trusted-proxy",
            "10.0.0.0/8",
            "--trusted-proxy",
            "192.0.2.7",
        ])
        .expect("parse");
        let shown: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32"]);
        assert!(
            Config::try_parse_from(["greenwatch-server", "--trusted-proxy", "lb.internal"])
                .is_err()
        );
        assert!(Config::try_parse_from(["greenwatch-server"])
            .expect("parse")
            .trusted_proxies
            .is_empty());
    }

    #[test]
    fn migrate_names_its_target() {
        let config = Config::try_parse_from([
            "greenwatch-server",
            "--data-dir",
            "old",
            "migrate",
            "--to-database-url",
            "postgres://gw@db/gw",
            "--to-media-url",
            "s3://gw-media",
        ])
        .expect("parse");
        match config.command {
            Some(Command::Migrate(args)) => {
                assert_eq!(
                    args.to_database_url,
                    DatabaseUrl::from("postgres://gw@db/gw".to_owned())
                );
                assert_eq!(
                    args.to_media_url.map(|u| u.to_string()),
                    Some("s3://gw-media".to_owned())
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(config.data_dir, PathBuf::from("old"));
        assert!(Config::try_parse_from(["greenwatch-server", "migrate"]).is_err());
    }

    #[test]
    fn the_quiz_folder_is_a_flag() {
        let config =
            Config::try_parse_from(["greenwatch-server", "--quiz-dir", "packs"]).expect("parse");
        assert_eq!(config.quiz_dir, Some(PathBuf::from("packs")));
    }

    #[test]
    fn the_channels_file_is_a_flag() {
        let config = Config::try_parse_from([
            "greenwatch-server",
            "--channels-file",
            "bureau/channels.json",
        ])
        .expect("parse");
        assert_eq!(
            config.channels_file,
            Some(PathBuf::from("bureau/channels.json"))
        );
    }

    #[test]
    fn https_public_urls_get_secure_cookies() {
        let config = Config::try_parse_from([
            "greenwatch-server",
            "--public-url",
            "https://greenwatch.example.cn",
        ])
        .expect("parse");
        assert!(config.secure_cookies());
    }

    #[test]
    fn serving_flags_still_parse_and_staff_add_is_a_subcommand() {
        let config = Config::try_parse_from([
            "greenwatch-server",
            "--bind",
            "127.0.0.1:0",
            "--dist-dir",
            "d",
            "--data-dir",
            "x",
        ])
        .expect("parse");
        assert!(config.command.is_none());
        assert_eq!(config.data_dir, PathBuf::from("x"));
        let config = Config::try_parse_from([
            "greenwatch-server",
            "staff",
            "add",
            "--username",
            "admin",
            "--role",
            "admin",
            "--password-stdin",
            "--data-dir",
            "x",
        ])
        .expect("parse");
        assert_eq!(config.data_dir, PathBuf::from("x"));
        match config.command {
            Some(Command::Staff(StaffCommand::Add { username, role, .. })) => {
                assert_eq!(username, "admin");
                assert_eq!(Role::from(role), Role::Admin);
            }
            other => panic!("{other:?}"),
        }
        assert!(Config::try_parse_from([
            "greenwatch-server",
            "staff",
            "add",
            "--username",
            "x",
            "--role",
            "root"
        ])
        .is_err());
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
