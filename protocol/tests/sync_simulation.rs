//! Deterministic simulation of sending reports and supports ("I see this
//! too") over a hostile network, with
//! a model of the server's intake rules (`support/server_model.rs`). The
//! driver (`support/driver.rs`, shared with the server's simulation against
//! the real server) says what a run does and what it checks.
//!
//! A failing run prints its seed; replay it, with a trace of every step:
//! `GREENWATCH_SIM_SEED=<seed> cargo test -p protocol --test sync_simulation`.
//! `GREENWATCH_SIM_RUNS` sets the number of runs (10 000 by default).

mod support;

use support::driver::{no_header, start_in_2026, Options, Setup, Simulation};
use support::server_model::{Flaw, IntakeModel};

/// The simulation against the model, with `flaw` in it.
fn simulation(flaw: Option<Flaw>) -> Simulation<impl Fn() -> IntakeModel + Sync> {
    Simulation {
        setup: Setup {
            start: start_in_2026,
            medium_header: no_header,
            catch_panics: false,
            command: "cargo test -p protocol --test sync_simulation",
        },
        new_server: move || IntakeModel::new(flaw),
    }
}

#[test]
fn every_queued_report_arrives_exactly_once_whatever_the_network_does() {
    let Some((runs, totals)) = simulation(None).replay_or_run_many(10_000) else {
        return;
    };
    if runs >= 10_000 {
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
            ("refusals", t.refusals),
            ("fixes", t.fixed_and_requeued),
            ("broken media", t.broken_media),
            ("year crossings", t.year_crossings),
            ("supports", t.supports),
        ] {
            assert!(count >= 10, "only {count} {what} in {runs} runs");
        }
        assert!(
            t.supports * 4 >= t.reports,
            "a good share of supports: {t:?}"
        );
        let items = t.reports + t.supports;
        assert!(t.sent * 10 >= items * 9, "most items are sent: {t:?}");
    }
}

#[test]
fn a_calm_network_needs_one_request_per_piece() {
    let simulation = simulation(None);
    let mut supports = 0;
    for seed in 0..200 {
        let stats = simulation.run_or_fail(
            seed,
            Options {
                calm: true,
                ..Options::default()
            },
        );
        let items = stats.reports + stats.supports;
        assert_eq!(stats.sent, items, "seed {seed}");
        // One health check, then a create per report or support and an
        // upload per medium.
        assert_eq!(
            stats.requests,
            1 + items + stats.media,
            "seed {seed}: {stats:?}"
        );
        supports += stats.supports;
    }
    assert!(supports >= 50, "only {supports} supports in 200 calm runs");
}

#[test]
fn runs_are_deterministic() {
    let simulation = simulation(None);
    for seed in [1, 42, 9_999] {
        let traced = || {
            simulation
                .run(
                    seed,
                    Options {
                        trace: true,
                        ..Options::default()
                    },
                )
                .trace
        };
        let first = traced();
        assert!(first.lines().count() > 3);
        assert_eq!(first, traced(), "seed {seed}");
    }
}

/// A broken server must make some run fail: the checks have teeth.
fn caught(flaw: Flaw) -> (u64, String) {
    let simulation = simulation(Some(flaw));
    (0..2_000)
        .find_map(|seed| {
            simulation
                .run(seed, Options::default())
                .result
                .err()
                .map(|message| (seed, message))
        })
        .unwrap_or_else(|| panic!("no run caught {flaw:?}"))
}

#[test]
fn the_simulation_catches_a_server_that_opens_a_case_per_create() {
    let (seed, message) = caught(Flaw::CreateNotIdempotent);
    assert!(
        message.contains("cases for report"),
        "seed {seed}: {message}"
    );
}

#[test]
fn the_simulation_catches_a_server_that_does_not_check_hashes() {
    let (seed, message) = caught(Flaw::SkipsHashCheck);
    assert!(message.contains("broken"), "seed {seed}: {message}");
}

#[test]
fn the_simulation_catches_a_server_that_acknowledges_before_storing() {
    let (seed, message) = caught(Flaw::AcksBeforeDurable);
    assert!(message.contains("incomplete"), "seed {seed}: {message}");
}
