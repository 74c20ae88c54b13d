//! The protocol's seeded sync simulation (`protocol/tests/sync_simulation.rs`,
//! reports and supports) run against the REAL server: the same driver (`protocol/tests/support/
//! driver.rs`: client, outbox, fault injector, checks), but the server is
//! `startup::app` over a temporary data folder (SQLite and media files),
//! driven with `oneshot` (`real_server/mod.rs`); a server restart drops the
//! app and its store and opens the same folder again; the audit reads the
//! cases, media rows and files back from the database and the media folder.
//!
//! What differs from the model's runs ([`Setup`]): media bytes start like a
//! JPEG or a WebM (the server reads the type from the bytes); the server
//! keeps its own (real) clock, so the simulated time runs a month behind it
//! and no year is crossed; a panic in a run (the audit's) fails its seed. The
//! tests that prove the checks catch the model's deliberate flaws stay in
//! protocol/.
//!
//! `GREENWATCH_SIM_RUNS` sets the number of runs (by default 300 on
//! SQLite, 60 on PostgreSQL: see [`Backend`]);
//! `GREENWATCH_SIM_SEED=<seed> cargo test -p greenwatch-server --test simulation`
//! replays one seed with a trace.

mod real_server;
#[allow(dead_code)] // the model and its flaws are not used here
#[path = "../../protocol/tests/support/mod.rs"]
mod support;
#[path = "helpers/database.rs"]
mod test_database;

use real_server::RealServer;
use support::driver::{Options, Setup, Simulation, MINUTE};
use support::rng::SplitMix64;

/// Where the runs' server keeps its data. `scripts/test` runs this suite on
/// SQLite with a media folder, then again on PostgreSQL with the media in
/// the S3 test server (moto). Everything above the store is the same code
/// both times, and a run costs about 3 s on PostgreSQL and S3 (a schema of
/// its own and its migrations at each start and restart, every medium
/// through moto) against under 1 s on SQLite: 300 runs took about 1000 s
/// of CI's 2 cores. So the long search for interleavings runs on SQLite
/// (300 seeds, each kind of trouble at least 3 times), and PostgreSQL
/// replays the first 60 of the same seeds, checked by the same audit,
/// with each kind of trouble still met at least once: what it adds is the
/// other store under the same sequences, not more sequences.
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn current() -> Backend {
        if std::env::var_os(test_database::POSTGRES_ENV).is_some() {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// Runs of the fault-injecting simulation, and how often each kind of
    /// trouble must have happened in them.
    fn runs_and_minimum(&self) -> (u64, u64) {
        match self {
            Backend::Sqlite => (300, 3),
            Backend::Postgres => (60, 1),
        }
    }

    /// Seeds of the calm-network check.
    fn calm_seeds(&self) -> u64 {
        match self {
            Backend::Sqlite => 20,
            Backend::Postgres => 5,
        }
    }
}

/// The simulation against the real server.
fn simulation() -> Simulation<fn() -> RealServer> {
    Simulation {
        setup: Setup {
            start: a_month_ago,
            medium_header: jpeg_or_webm,
            catch_panics: true,
            command: "cargo test -p greenwatch-server --test simulation",
        },
        new_server: RealServer::new,
    }
}

/// The real server judges times by its own clock: the simulated time runs a
/// month behind it (a run lasts at most days of simulated time).
fn a_month_ago(rng: &mut SplitMix64, _calm: bool) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;
    now - 30 * 24 * 60 * MINUTE + rng.below(24 * 60) as i64 * MINUTE
}

/// The real server reads a medium's type from its first bytes.
fn jpeg_or_webm(photo: bool) -> &'static [u8] {
    if photo {
        &[0xFF, 0xD8, 0xFF, 0xE0]
    } else {
        &[0x1A, 0x45, 0xDF, 0xA3]
    }
}

#[test]
fn every_queued_report_reaches_the_real_server_exactly_once() {
    let (default_runs, minimum) = Backend::current().runs_and_minimum();
    let Some((runs, totals)) = simulation().replay_or_run_many(default_runs) else {
        return;
    };
    if runs >= default_runs {
        // The runs really went through every kind of trouble.
        let t = totals;
        for (what, count) in [
            ("lost requests", t.lost_requests),
            ("lost answers", t.lost_responses),
            ("duplicates", t.duplicates),
            ("server restarts", t.server_restarts),
            ("rate limits", t.rate_limited),
            ("503s", t.unavailable),
            ("client kills", t.client_kills),
            ("broken media", t.broken_media),
            ("supports", t.supports),
        ] {
            assert!(count >= minimum, "only {count} {what} in {runs} runs");
        }
        let items = t.reports + t.supports;
        assert!(t.sent * 10 >= items * 9, "most items are sent: {t:?}");
    }
}

#[test]
fn a_calm_network_needs_one_request_per_piece_on_the_real_server() {
    let simulation = simulation();
    for seed in 0..Backend::current().calm_seeds() {
        let stats = simulation.run_or_fail(
            seed,
            Options {
                calm: true,
                ..Options::default()
            },
        );
        let items = stats.reports + stats.supports;
        assert_eq!(stats.sent, items, "seed {seed}");
        assert_eq!(
            stats.requests,
            1 + items + stats.media,
            "seed {seed}: {stats:?}"
        );
    }
}
