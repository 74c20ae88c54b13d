//! The driver of the seeded sync simulation, shared by the protocol's test
//! (against the model, `sync_simulation.rs`) and the server's (against the
//! real server, `server/tests/simulation.rs`, which includes this folder).
//!
//! Each run (one seed) has a phone with an outbox and the real
//! [`SyncMachine`], a server seen through [`IntakeServer`], and a seeded
//! fault injector between them that, for each request, may lose it, lose its
//! answer, deliver it twice, answer 429 or 503, or restart the server; it
//! also kills the app between any two steps (the app restarts from what it
//! persisted: the outbox and the machine's serialised state). The person
//! queues a few reports (0 to 3 media of random bytes each) along the way,
//! and fixes those the server refused for their time (the phone's clock is
//! sometimes minutes ahead); some of what they queue are supports ("I see
//! this too", with media too) of the cases the neighbours filed before the
//! run started. Some phones have a stored medium that no longer matches its
//! hash.
//!
//! Then the faults stop and the run goes on until the app is idle, and the
//! invariant is checked: every queued report and support is on the server
//! exactly once, with media byte-identical to the phone's, and `Sent` on
//! the phone with the server's case number, which its receipt can follow;
//! or it is visibly `NeedsAttention` on the phone (only the broken-medium
//! ones may be). The server never holds two cases for one report nor a case
//! or a support the phone did not queue (the neighbours' cases aside), and
//! its case numbers run 1, 2, 3… in each year.
//!
//! What differs between the two servers is in [`Setup`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

use protocol::report::{
    AudioMime, Category, Field, GeoPoint, MediaId, PhotoMeta, ReportDraft, ReportId, ReportState,
    Sha256Hex, UnixMillis, VoiceClipMeta,
};
use protocol::support::{support_fingerprint, CreateSupport, SupportDraft, SupportId};
use protocol::sync::{
    content_fingerprint, parse_retry_after, Action, CaseNumber, CaseStatus, CreateReport,
    IntakeStatus, Outcome, Phase, QueuedItem, ReceiptSecret, SyncItem, SyncMachine, Timeline,
};
use protocol::{ApiError, LocalizedText};
use uuid::Uuid;

use super::rng::SplitMix64;
use super::{IntakeServer, Request, Response};

pub const MINUTE: i64 = 60_000;
/// 2026-01-01T00:00:00Z.
const YEAR_START: i64 = 1_767_225_600_000;
/// Two minutes before 2027 in China Standard Time (2026-12-31T16:00Z), where
/// case years turn: runs starting here cross into 2027.
const NEAR_YEAR_END: i64 = 1_798_761_600_000 - 8 * 60 * MINUTE - 2 * MINUTE;

/// How hostile one run's network and app life are.
#[derive(Debug, Clone, Copy)]
struct Faults {
    /// Faults happen during the first this many steps, then stop.
    until_step: u32,
    lose_request: f64,
    lose_response: f64,
    duplicate: f64,
    restart_server: f64,
    rate_limit: f64,
    unavailable: f64,
    kill_client: f64,
}

impl Faults {
    const NONE: Faults = Faults {
        until_step: 0,
        lose_request: 0.0,
        lose_response: 0.0,
        duplicate: 0.0,
        restart_server: 0.0,
        rate_limit: 0.0,
        unavailable: 0.0,
        kill_client: 0.0,
    };

    fn random(rng: &mut SplitMix64) -> Faults {
        let mut p = |max: f64| rng.unit() * max;
        Faults {
            until_step: 0,
            lose_request: p(0.3),
            lose_response: p(0.3),
            duplicate: p(0.2),
            restart_server: p(0.1),
            rate_limit: p(0.1),
            unavailable: p(0.1),
            kill_client: p(0.1),
        }
        .lasting(rng.between(0, 200) as u32)
    }

    fn lasting(self, until_step: u32) -> Faults {
        Faults { until_step, ..self }
    }
}

/// What happened over runs, to check the faults really were exercised.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub runs: u64,
    pub reports: u64,
    pub supports: u64,
    pub media: u64,
    pub requests: u64,
    pub lost_requests: u64,
    pub lost_responses: u64,
    pub duplicates: u64,
    pub server_restarts: u64,
    pub rate_limited: u64,
    pub unavailable: u64,
    pub client_kills: u64,
    pub refusals: u64,
    pub fixed_and_requeued: u64,
    pub broken_media: u64,
    pub sent: u64,
    pub year_crossings: u64,
    pub steps: u64,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.runs += o.runs;
        self.reports += o.reports;
        self.supports += o.supports;
        self.media += o.media;
        self.requests += o.requests;
        self.lost_requests += o.lost_requests;
        self.lost_responses += o.lost_responses;
        self.duplicates += o.duplicates;
        self.server_restarts += o.server_restarts;
        self.rate_limited += o.rate_limited;
        self.unavailable += o.unavailable;
        self.client_kills += o.client_kills;
        self.refusals += o.refusals;
        self.fixed_and_requeued += o.fixed_and_requeued;
        self.broken_media += o.broken_media;
        self.sent += o.sent;
        self.year_crossings += o.year_crossings;
        self.steps += o.steps;
    }
}

/// What a record holds: a report or a support.
enum Draft {
    Report(ReportDraft),
    Support(SupportDraft),
}

/// One report or support in the phone's outbox (IndexedDB): durable.
struct Record {
    item: SyncItem,
    draft: Draft,
    /// The stored media bytes, by their index in the create body.
    media: Vec<Vec<u8>>,
    secret: ReceiptSecret,
    /// The outbox's copy of the state (the machine's is the reference).
    state: ReportState,
    queued_at: Option<UnixMillis>,
    /// A stored medium was damaged after its hash was taken.
    broken: bool,
}

/// Everything on the phone that survives the app being killed.
#[derive(Default)]
struct Device {
    outbox: Vec<Record>,
    /// The machine as last persisted.
    machine: Option<SyncMachine>,
}

impl Device {
    fn record(&self, item: SyncItem) -> Option<&Record> {
        self.outbox.iter().find(|record| record.item == item)
    }

    fn record_mut(&mut self, item: SyncItem) -> &mut Record {
        self.outbox
            .iter_mut()
            .find(|record| record.item == item)
            .expect("a record the machine knows is in the outbox")
    }
}

/// Options of a run besides its seed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// No faults, no clock skew, no broken media.
    pub calm: bool,
    pub trace: bool,
}

/// What differs between the servers the simulation drives.
#[derive(Debug, Clone, Copy)]
pub struct Setup {
    /// Where a run's simulated time (the server's clock) starts, drawn
    /// from the run's random source; `calm` for a calm run.
    pub start: fn(rng: &mut SplitMix64, calm: bool) -> i64,
    /// The bytes a medium starts with (the rest is random), for a photo
    /// (`true`) or a voice clip: a server that reads the type from the
    /// bytes wants a real header.
    pub medium_header: fn(photo: bool) -> &'static [u8],
    /// A panic during a run (the real server's audit panics when its store
    /// contradicts itself) fails that seed like a check, instead of
    /// bringing down the worker.
    pub catch_panics: bool,
    /// The command that runs the test, for the replay hint.
    pub command: &'static str,
}

/// No header: media are random bytes.
pub fn no_header(_photo: bool) -> &'static [u8] {
    &[]
}

/// Anywhere in 2026; one run in ten (unless calm) starts two minutes before
/// the year ends and crosses into 2027: for a server that takes its time
/// from the simulation (the model).
pub fn start_in_2026(rng: &mut SplitMix64, calm: bool) -> i64 {
    if !calm && rng.chance(0.1) {
        NEAR_YEAR_END
    } else {
        YEAR_START + rng.below(360 * 24 * 60) as i64 * MINUTE
    }
}

struct Sim<S: IntakeServer> {
    rng: SplitMix64,
    server: S,
    device: Device,
    machine: SyncMachine,
    faults: Faults,
    /// The server's clock (the simulation's time).
    now: UnixMillis,
    /// How far the phone's clock is ahead of the server's.
    skew: i64,
    step: u32,
    /// No faults, no clock skew, no broken media.
    calm: bool,
    medium_header: fn(photo: bool) -> &'static [u8],
    stats: Stats,
    trace: Option<String>,
    /// The cases other people filed before the run: what the person may
    /// support.
    neighbours: Vec<(ReportId, CaseNumber)>,
}

/// How a run went: its counts, its trace (when asked for) and the verdict.
pub struct RunReport {
    pub stats: Stats,
    pub trace: String,
    pub result: Result<(), String>,
}

macro_rules! trace {
    ($sim:expr, $($arg:tt)*) => {
        if let Some(trace) = $sim.trace.as_mut() {
            let _ = write!(trace, "[{:>4} t={:>9}] ", $sim.step, $sim.now.0 - YEAR_START);
            let _ = writeln!(trace, $($arg)*);
        }
    };
}

macro_rules! ensure {
    ($cond:expr, $($arg:tt)*) => {
        if !$cond {
            return Err(format!($($arg)*));
        }
    };
}

impl<S: IntakeServer> Sim<S> {
    fn client_now(&self) -> UnixMillis {
        UnixMillis(self.now.0 + self.skew)
    }

    fn advance(&mut self, millis: i64) {
        self.now = UnixMillis(self.now.0 + millis);
    }

    fn faulty(&self) -> bool {
        self.step < self.faults.until_step
    }

    /// A fault of probability `p` strikes (only while faults last).
    fn strikes(&mut self, p: f64) -> bool {
        self.faulty() && self.rng.chance(p)
    }

    /// Kills the app, if it is killed here.
    fn maybe_kill(&mut self, at: &str) -> bool {
        if !self.strikes(self.faults.kill_client) {
            return false;
        }
        trace!(self, "client killed {at}");
        self.stats.client_kills += 1;
        self.restart_client();
        true
    }

    /// What the app does on start: read the persisted machine (through its
    /// JSON, as from IndexedDB), reconcile it with the outbox, write the
    /// states back into the outbox, and persist.
    fn restart_client(&mut self) {
        let mut machine = match &self.device.machine {
            Some(stored) => {
                let json = serde_json::to_string(stored).expect("serialise the machine");
                let back: SyncMachine = serde_json::from_str(&json).expect("read the machine");
                assert_eq!(back.items(), stored.items(), "the machine survives JSON");
                back
            }
            None => SyncMachine::new(),
        };
        machine.reconcile(self.device.outbox.iter().filter_map(|record| {
            record.queued_at.map(|queued_at| QueuedItem {
                item: record.item,
                queued_at,
            })
        }));
        for item in machine.items() {
            self.device.record_mut(item.item).state = item.phase.state();
        }
        self.device.machine = Some(machine.clone());
        self.machine = machine;
    }

    fn persist(&mut self) {
        self.device.machine = Some(self.machine.clone());
    }

    /// Before the run: people nearby filed `count` cases (no media, sent
    /// straight to the server, without faults), which the person may then
    /// support.
    fn neighbours_file(&mut self, count: u64) {
        for n in 0..count {
            let rng = &mut self.rng;
            let id = ReportId::from_uuid(Uuid::from_u64_pair(rng.next_u64(), rng.next_u64()));
            let mut draft = ReportDraft::new(id, self.now);
            draft.category = Some(Category::ALL[rng.below(Category::ALL.len() as u64) as usize]);
            draft.description = format!("邻居第 {n} 次看到河水发黑。");
            draft.address = "东湖路 10 号".into();
            draft.seen_at = Some(UnixMillis(self.now.0 - MINUTE));
            let secret = ReceiptSecret::from_bytes(rng.array32());
            let report = draft
                .validate(self.now)
                .expect("the neighbour's report is valid");
            let body = CreateReport::from_valid(&report, &secret.hash());
            let response = self.server.handle(
                &Request::Create {
                    id,
                    body: serde_json::to_vec(&body).expect("serialise"),
                },
                self.now,
            );
            assert_eq!(response.status, 201, "the neighbour's report is created");
            let status: IntakeStatus =
                serde_json::from_slice(&response.body).expect("the server's status parses");
            assert!(status.is_complete(), "a report without media is complete");
            trace!(self, "a neighbour files {}", status.case_number());
            self.neighbours.push((id, status.case_number()));
        }
    }

    /// Random media for a report or a support: the bytes in create-body
    /// order, and their photo and voice-clip declarations.
    fn random_media(&mut self) -> (Vec<Vec<u8>>, Vec<PhotoMeta>, Vec<VoiceClipMeta>) {
        let header = self.medium_header;
        let rng = &mut self.rng;
        let count = rng.below(4) as usize;
        let photos = rng.below(count as u64 + 1) as usize;
        let media: Vec<Vec<u8>> = (0..count)
            .map(|index| {
                let len = rng.between(1, 256) as usize;
                [header(index < photos), &rng.bytes(len)].concat()
            })
            .collect();
        let media_id = |rng: &mut SplitMix64| {
            MediaId::from_uuid(Uuid::from_u64_pair(rng.next_u64(), rng.next_u64()))
        };
        let (mut photo_metas, mut clip_metas) = (Vec::new(), Vec::new());
        for (index, bytes) in media.iter().enumerate() {
            let sha256 = Sha256Hex::of(bytes);
            if index < photos {
                photo_metas.push(PhotoMeta {
                    id: media_id(rng),
                    width: rng.between(1, 1600) as u32,
                    height: rng.between(1, 1600) as u32,
                    bytes: bytes.len() as u64,
                    sha256,
                });
            } else {
                clip_metas.push(VoiceClipMeta {
                    id: media_id(rng),
                    duration_ms: rng.between(1, 60_000) as u32,
                    bytes: bytes.len() as u64,
                    mime: AudioMime::ALL[rng.below(3) as usize],
                    sha256,
                });
            }
        }
        (media, photo_metas, clip_metas)
    }

    /// The person fills in a report, or supports a neighbour's case, and
    /// queues it: the outbox record (draft, media, receipt secret) is
    /// written first, then the machine is told; the app may die in between.
    fn person_queues(&mut self) {
        let now = self.client_now();
        let (mut media, photos, voice_clips) = self.random_media();
        let supports = !self.neighbours.is_empty() && self.rng.chance(0.4);
        let rng = &mut self.rng;
        let (item, draft) = if supports {
            let id = SupportId::from_uuid(Uuid::from_u64_pair(rng.next_u64(), rng.next_u64()));
            let case = self.neighbours[rng.below(self.neighbours.len() as u64) as usize].1;
            let mut draft = SupportDraft::new(id, case, now);
            draft.photos = photos;
            draft.voice_clips = voice_clips;
            if rng.chance(0.3) {
                draft.name = "李四".into();
            }
            assert!(draft.validate().is_ok(), "the person's support is valid");
            (SyncItem::Support(id), Draft::Support(draft))
        } else {
            let id = ReportId::from_uuid(Uuid::from_u64_pair(rng.next_u64(), rng.next_u64()));
            let mut draft = ReportDraft::new(id, now);
            draft.category = Some(Category::ALL[rng.below(Category::ALL.len() as u64) as usize]);
            draft.description = format!("河水发黑发臭，第 {} 次看到。", rng.below(1000));
            if rng.chance(0.7) {
                let lat = rng.unit() * 10.0 + 25.0;
                let lon = rng.unit() * 10.0 + 110.0;
                draft.point =
                    Some(GeoPoint::parse(lat, lon, 5.0 + rng.unit() * 50.0).expect("point"));
            }
            if draft.point.is_none() || rng.chance(0.5) {
                draft.address = "东湖路 12 号附近".into();
            }
            if rng.chance(0.3) {
                draft.phone = "13800138000".into();
            }
            // Seen up to 10 minutes ago by the phone's clock.
            draft.seen_at = Some(UnixMillis(now.0 - rng.below(10 * MINUTE as u64) as i64));
            draft.photos = photos;
            draft.voice_clips = voice_clips;
            assert!(draft.validate(now).is_ok(), "the person's report is valid");
            (SyncItem::Report(id), Draft::Report(draft))
        };
        let broken = !self.calm && !media.is_empty() && rng.chance(0.05);
        if broken {
            let medium = rng.below(media.len() as u64) as usize;
            let byte = rng.below(media[medium].len() as u64) as usize;
            media[medium][byte] ^= 0x20;
            self.stats.broken_media += 1;
        }
        let secret = ReceiptSecret::from_bytes(rng.array32());
        match item {
            SyncItem::Report(_) => self.stats.reports += 1,
            SyncItem::Support(_) => self.stats.supports += 1,
        }
        self.stats.media += media.len() as u64;
        trace!(
            self,
            "person queues {item} with {} media{}",
            media.len(),
            if broken { " (one broken)" } else { "" }
        );
        self.device.outbox.push(Record {
            item,
            draft,
            media,
            secret,
            state: ReportState::Queued,
            queued_at: Some(now),
            broken,
        });
        if self.maybe_kill("after the outbox write, before the machine heard of it") {
            return;
        }
        self.machine.queue(item, now);
        if self.maybe_kill("before the machine was persisted") {
            return;
        }
        self.persist();
    }

    /// A report the server refused for its time: the person corrects the
    /// time seen and queues it again.
    fn person_fixes(&mut self, id: SyncItem) {
        let mut now = self.client_now();
        let record = self.device.record_mut(id);
        if record.queued_at == Some(now) {
            now = UnixMillis(now.0 + 1);
        }
        let Draft::Report(draft) = &mut record.draft else {
            unreachable!("only a report has a time seen");
        };
        draft.seen_at = Some(UnixMillis(now.0 - 10 * MINUTE));
        draft.updated_at = now;
        record.queued_at = Some(now);
        record.state = ReportState::Queued;
        self.stats.fixed_and_requeued += 1;
        trace!(self, "person fixes the time of {id} and queues it again");
        if self.maybe_kill("after the edit was saved, before the machine heard of it") {
            return;
        }
        self.machine.queue(id, now);
        self.persist();
    }

    /// Reports the server refused for their time, which the person fixes.
    fn to_fix(&self) -> Vec<SyncItem> {
        self.machine
            .items()
            .iter()
            .filter(|item| {
                matches!(&item.phase, Phase::NeedsAttention { fields, .. }
                    if fields.iter().any(|f| f.field == Field::SeenAt))
            })
            .map(|item| item.item)
            .collect()
    }

    fn request_for(&self, action: &Action) -> Result<Request, LocalizedText> {
        let cannot = || LocalizedText::new("无法读取报告。", "The report cannot be read.");
        match *action {
            Action::CheckHealth => Ok(Request::Health),
            Action::Create(item) => {
                let record = self.device.record(item).ok_or_else(cannot)?;
                match (&record.draft, item) {
                    (Draft::Report(draft), SyncItem::Report(id)) => {
                        let report = draft.validate(self.client_now()).map_err(|_| cannot())?;
                        let body = CreateReport::from_valid(&report, &record.secret.hash());
                        Ok(Request::Create {
                            id,
                            body: serde_json::to_vec(&body).expect("serialise"),
                        })
                    }
                    (Draft::Support(draft), SyncItem::Support(id)) => {
                        let support = draft.validate().map_err(|_| cannot())?;
                        let body = CreateSupport::from_valid(&support, &record.secret.hash());
                        Ok(Request::CreateSupport {
                            id,
                            body: serde_json::to_vec(&body).expect("serialise"),
                        })
                    }
                    _ => Err(cannot()),
                }
            }
            Action::UploadMedium(item, index) => {
                let record = self.device.record(item).ok_or_else(cannot)?;
                let body = record
                    .media
                    .get(usize::from(index))
                    .ok_or_else(cannot)?
                    .clone();
                Ok(match item {
                    SyncItem::Report(id) => Request::Medium { id, index, body },
                    SyncItem::Support(id) => Request::SupportMedium { id, index, body },
                })
            }
            Action::Wait(_) | Action::Idle => unreachable!("not a request"),
        }
    }

    /// The network between the app and the server, with its faults.
    fn exchange(&mut self, request: &Request) -> Option<Response> {
        self.stats.requests += 1;
        let f = self.faults;
        if self.strikes(f.lose_request) {
            self.stats.lost_requests += 1;
            trace!(self, "  request lost");
            return None;
        }
        if self.strikes(f.restart_server) {
            self.stats.server_restarts += 1;
            trace!(self, "  server restarts before handling it");
            self.server.restart();
            return None;
        }
        if self.strikes(f.rate_limit) {
            self.stats.rate_limited += 1;
            let retry_after = match self.rng.below(3) {
                0 => None,
                1 => Some("Wed, 21 Oct 2026 07:28:00 GMT".to_owned()),
                _ => Some(self.rng.between(1, 120).to_string()),
            };
            trace!(self, "  429, Retry-After {retry_after:?}");
            return Some(Response {
                retry_after,
                ..Response::error(&ApiError::from(protocol::ErrorCode::RateLimited))
            });
        }
        if self.strikes(f.unavailable) {
            self.stats.unavailable += 1;
            trace!(self, "  503 from the proxy");
            return Some(Response {
                status: 503,
                body: b"<html>Service Unavailable</html>".to_vec(),
                retry_after: None,
            });
        }
        let mut response = self.server.handle(request, self.now);
        if self.strikes(f.duplicate) {
            self.stats.duplicates += 1;
            trace!(self, "  delivered twice; first answer {}", response.status);
            self.advance(1);
            response = self.server.handle(request, self.now);
        }
        if self.strikes(f.restart_server) {
            self.stats.server_restarts += 1;
            trace!(
                self,
                "  server restarts after handling it, before answering"
            );
            self.server.restart();
            return None;
        }
        if self.strikes(f.lose_response) {
            self.stats.lost_responses += 1;
            trace!(self, "  answer {} lost", response.status);
            return None;
        }
        Some(response)
    }

    /// How the app reads an answer.
    fn outcome(action: &Action, response: Option<Response>) -> Outcome {
        let Some(response) = response else {
            return Outcome::Unreachable;
        };
        let failed = |response: &Response| Outcome::Failed {
            status: response.status,
            error: serde_json::from_slice::<ApiError>(&response.body).ok(),
            retry_after: response.retry_after.as_deref().and_then(parse_retry_after),
        };
        match (action, response.status) {
            (Action::CheckHealth, 200) => Outcome::HealthOk,
            (Action::Create(_) | Action::UploadMedium(..), 200 | 201) => {
                let status: IntakeStatus =
                    serde_json::from_slice(&response.body).expect("the server's status parses");
                Outcome::Intake(status)
            }
            _ => failed(&response),
        }
    }

    /// One step of the app: the next action, done; the answer, handled.
    fn client_step(&mut self) {
        let action = self.machine.next_action(self.client_now());
        match action {
            Action::Idle => {
                // Nothing to send: time passes until the person does something.
                self.advance(MINUTE);
                return;
            }
            Action::Wait(delay) => {
                trace!(self, "wait {delay:?}");
                self.advance(delay.as_millis() as i64);
                return;
            }
            _ => {}
        }
        if self.maybe_kill("before sending") {
            return;
        }
        let outcome = match self.request_for(&action) {
            Err(message) => Outcome::CannotSend(message),
            Ok(request) => {
                trace!(self, "{action:?}");
                let latency = self.rng.between(20, 2_000) as i64;
                self.advance(latency);
                let response = self.exchange(&request);
                Self::outcome(&action, response)
            }
        };
        trace!(self, "  -> {}", describe(&outcome));
        if let Outcome::Failed {
            status: 409 | 413 | 415 | 422,
            ..
        } = outcome
        {
            self.stats.refusals += 1;
        }
        if self.maybe_kill("before handling the answer") {
            return;
        }
        let unit = self.rng.unit();
        let change = self
            .machine
            .on_outcome(&action, outcome, self.client_now(), unit);
        if self.maybe_kill("before persisting the machine") {
            return;
        }
        self.persist();
        if self.maybe_kill("before updating the outbox") {
            return;
        }
        if let Some(change) = change {
            trace!(
                self,
                "  {} {:?} -> {:?}",
                change.item,
                change.from,
                change.to
            );
            self.device.record_mut(change.item).state = change.to;
        }
    }
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Intake(status) => {
            format!("{} missing {:?}", status.case_number(), status.missing())
        }
        Outcome::Failed {
            status,
            error,
            retry_after,
        } => format!(
            "{status} {:?} retry after {retry_after:?}",
            error.as_ref().map(|e| e.code)
        ),
        other => format!("{other:?}"),
    }
}

impl<S: IntakeServer> Sim<S> {
    /// Steps until the person is done, the faults are over and the app is idle.
    fn drive(&mut self, plan: &mut Vec<u32>) -> Result<(), String> {
        let limit = self.faults.until_step + 1_000;
        loop {
            ensure!(self.step < limit, "no progress after {} steps", self.step);
            while plan.last().is_some_and(|&at| at <= self.step) {
                plan.pop();
                self.person_queues();
            }
            let idle = self.machine.next_action(self.client_now()) == Action::Idle;
            for id in self.to_fix() {
                if idle || self.rng.chance(0.3) {
                    self.person_fixes(id);
                }
            }
            let idle = self.machine.next_action(self.client_now()) == Action::Idle;
            if idle && plan.is_empty() && self.to_fix().is_empty() {
                // Nothing in flight, nothing left to send: the faults that
                // may remain can no longer touch anything.
                return Ok(());
            }
            if idle && !plan.is_empty() {
                // Jump to the person's next report.
                self.step = self.step.max(*plan.last().expect("not empty"));
                continue;
            }
            self.client_step();
            self.step += 1;
        }
    }

    /// The invariant, once the network has healed and the app is idle.
    fn check(&mut self) -> Result<(), String> {
        // The outbox shows what the machine says.
        for item in self.machine.items() {
            let shown = self.device.record(item.item).map(|record| record.state);
            ensure!(
                shown == Some(item.phase.state()),
                "{}: the outbox shows {shown:?}, the machine {:?}",
                item.item,
                item.phase.state()
            );
        }
        // A restart now changes nothing: everything was persisted.
        let live = self.machine.items().to_vec();
        self.restart_client();
        ensure!(
            self.machine.items() == live.as_slice(),
            "the persisted machine differs from the live one"
        );
        let cases = self.server.audit();
        let mut by_report: BTreeMap<ReportId, Vec<usize>> = BTreeMap::new();
        for (at, case) in cases.iter().enumerate() {
            by_report.entry(case.report_id).or_default().push(at);
        }
        let supports = self.server.audit_supports();
        let mut by_support: BTreeMap<SupportId, Vec<usize>> = BTreeMap::new();
        for (at, support) in supports.iter().enumerate() {
            by_support.entry(support.support_id).or_default().push(at);
        }
        let queued: Vec<&Record> = self
            .device
            .outbox
            .iter()
            .filter(|record| record.queued_at.is_some())
            .collect();
        let was_queued = |item: SyncItem| queued.iter().any(|record| record.item == item);
        for (id, held) in &by_report {
            ensure!(
                held.len() == 1,
                "the server holds {} cases for report {id}",
                held.len()
            );
            ensure!(
                was_queued(SyncItem::Report(*id))
                    || self.neighbours.iter().any(|(other, _)| other == id),
                "the server holds report {id}, which the phone never queued"
            );
        }
        for (id, held) in &by_support {
            ensure!(
                held.len() == 1,
                "the server holds {} supports {id}",
                held.len()
            );
            ensure!(
                was_queued(SyncItem::Support(*id)),
                "the server holds support {id}, which the phone never queued"
            );
        }
        let mut sequences: BTreeMap<u16, Vec<u32>> = BTreeMap::new();
        for case in &cases {
            let number = case.case_number;
            sequences
                .entry(number.year())
                .or_default()
                .push(number.sequence());
        }
        for (year, mut numbers) in sequences.clone() {
            numbers.sort_unstable();
            let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
            ensure!(
                numbers == expected,
                "case numbers of {year} are {numbers:?}"
            );
        }
        if sequences.len() > 1 {
            self.stats.year_crossings += 1;
        }

        for record in queued {
            let item = record.item;
            let Some(sync) = self.machine.get(item) else {
                return Err(format!("the machine lost {item}"));
            };
            // What the server holds for it, as one shape for both kinds.
            let held: Option<Held> = match item {
                SyncItem::Report(id) => by_report.get(&id).map(|at| {
                    let case = &cases[at[0]];
                    Held {
                        case_number: case.case_number,
                        fingerprint: &case.fingerprint,
                        receipt_hash: &case.receipt_hash,
                        declared: &case.declared,
                        media: &case.media,
                        complete: case.complete,
                    }
                }),
                SyncItem::Support(id) => by_support.get(&id).map(|at| {
                    let support = &supports[at[0]];
                    Held {
                        case_number: support.case_number,
                        fingerprint: &support.fingerprint,
                        receipt_hash: &support.receipt_hash,
                        declared: &support.declared,
                        media: &support.media,
                        complete: support.complete,
                    }
                }),
            };
            match &sync.phase {
                Phase::Sent { case_number } => {
                    self.stats.sent += 1;
                    ensure!(!record.broken, "{item} with a broken medium is Sent");
                    let Some(held) = held else {
                        return Err(format!("{item} is Sent but not on the server"));
                    };
                    ensure!(
                        held.case_number == *case_number,
                        "{item}: the phone has {case_number}, the server {}",
                        held.case_number
                    );
                    ensure!(held.complete, "{item} is Sent but incomplete on the server");
                    let fingerprint = match &record.draft {
                        Draft::Report(draft) => {
                            let valid = draft
                                .validate(self.client_now())
                                .map_err(|e| format!("{item} no longer valid: {e}"))?;
                            content_fingerprint(&CreateReport::from_valid(
                                &valid,
                                &record.secret.hash(),
                            ))
                        }
                        Draft::Support(draft) => {
                            let valid = draft
                                .validate()
                                .map_err(|e| format!("{item} no longer valid: {e}"))?;
                            ensure!(
                                valid.case_number() == *case_number,
                                "support {item} counts for {case_number}, not the case it names"
                            );
                            support_fingerprint(&CreateSupport::from_valid(
                                &valid,
                                &record.secret.hash(),
                            ))
                        }
                    };
                    ensure!(
                        *held.fingerprint == fingerprint,
                        "{item}: the server holds other content than the phone's"
                    );
                    ensure!(
                        *held.receipt_hash == record.secret.hash(),
                        "{item}: another receipt"
                    );
                    ensure!(
                        held.media.len() == record.media.len(),
                        "{item}: {} media on the server, {} on the phone",
                        held.media.len(),
                        record.media.len()
                    );
                    for (index, bytes) in record.media.iter().enumerate() {
                        let stored = held.media.get(&(index as u8));
                        ensure!(
                            stored == Some(bytes),
                            "{item}: medium {index} differs on the server"
                        );
                        ensure!(
                            Sha256Hex::of(bytes) == held.declared[index].sha256,
                            "{item}: medium {index} does not match its declared hash"
                        );
                    }
                    check_following(&mut self.server, self.now, &record.secret, *case_number)?;
                }
                Phase::NeedsAttention { case_number, .. } => {
                    ensure!(
                        record.broken,
                        "{item} needs attention without a broken medium: {:?}",
                        sync.phase
                    );
                    if let Some(held) = held {
                        ensure!(
                            *case_number == Some(held.case_number),
                            "{item}: the phone does not show the server's case number"
                        );
                        ensure!(!held.complete, "a broken {item} is complete on the server");
                        for (index, bytes) in held.media {
                            ensure!(
                                Sha256Hex::of(bytes) == held.declared[usize::from(*index)].sha256,
                                "{item}: the server keeps a medium that is not the declared one"
                            );
                        }
                    }
                }
                Phase::Queued | Phase::Sending { .. } => {
                    return Err(format!("{item} is still {:?} while idle", sync.phase));
                }
            }
        }
        Ok(())
    }
}

/// What the server holds for a report or a support, for the checks.
struct Held<'a> {
    case_number: CaseNumber,
    fingerprint: &'a String,
    receipt_hash: &'a protocol::sync::ReceiptHash,
    declared: &'a [protocol::sync::MediumDecl],
    media: &'a BTreeMap<u8, Vec<u8>>,
    complete: bool,
}

/// The receipt follows the case; nothing else does.
fn check_following(
    server: &mut impl IntakeServer,
    now: UnixMillis,
    secret: &ReceiptSecret,
    case_number: CaseNumber,
) -> Result<(), String> {
    let mut ask = |receipt: Option<String>| {
        server.handle(
            &Request::Case {
                case_number,
                receipt,
            },
            now,
        )
    };
    let answer = ask(Some(secret.to_base64url()));
    ensure!(
        answer.status == 200,
        "{case_number}: the receipt gets {}",
        answer.status
    );
    let timeline: Timeline = serde_json::from_slice(&answer.body)
        .map_err(|e| format!("{case_number}: unreadable timeline: {e}"))?;
    ensure!(
        timeline.case_number() == case_number && timeline.status() == CaseStatus::Received,
        "{case_number}: unexpected timeline {timeline:?}"
    );
    // Another secret, none, or garbage (one of them per case, in turn).
    let wrong = match case_number.sequence() % 3 {
        0 => Some(ReceiptSecret::from_bytes([0x5a; 32]).to_base64url()),
        1 => None,
        _ => Some("not a receipt".into()),
    };
    let answer = ask(wrong);
    ensure!(
        answer.status == 404,
        "{case_number}: a wrong receipt gets {}",
        answer.status
    );
    Ok(())
}

/// The simulation over one kind of server: what differs ([`Setup`]) and how
/// to make a fresh server for a run.
pub struct Simulation<F> {
    pub setup: Setup,
    pub new_server: F,
}

impl<S, F> Simulation<F>
where
    S: IntakeServer,
    F: Fn() -> S + Sync,
{
    /// One run, with a trace of every step when `options.trace`.
    pub fn run(&self, seed: u64, options: Options) -> RunReport {
        if !self.setup.catch_panics {
            return self.run_unguarded(seed, options);
        }
        let run = std::panic::AssertUnwindSafe(|| self.run_unguarded(seed, options));
        std::panic::catch_unwind(run).unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            RunReport {
                stats: Stats::default(),
                trace: String::new(),
                result: Err(format!("panicked: {message}")),
            }
        })
    }

    fn run_unguarded(&self, seed: u64, options: Options) -> RunReport {
        let mut rng = SplitMix64::new(seed);
        let start = (self.setup.start)(&mut rng, options.calm);
        let skew = match () {
            _ if options.calm => 0,
            _ if rng.chance(0.15) => 5 * MINUTE,
            _ => rng.below(30_000) as i64 - 15_000,
        };
        let faults = if options.calm {
            Faults::NONE
        } else {
            Faults::random(&mut rng)
        };
        let reports = rng.between(1, 4) as u32;
        // When the person queues each report: the first at once, the others
        // while the faults last (or a little after).
        let mut plan: Vec<u32> = (0..reports)
            .map(|i| {
                if i == 0 {
                    0
                } else {
                    rng.below(u64::from(faults.until_step) + 20) as u32
                }
            })
            .collect();
        plan.sort_unstable();
        plan.reverse();
        let mut sim = Sim {
            rng,
            server: (self.new_server)(),
            device: Device::default(),
            machine: SyncMachine::new(),
            faults,
            now: UnixMillis(start),
            skew,
            step: 0,
            calm: options.calm,
            medium_header: self.setup.medium_header,
            stats: Stats {
                runs: 1,
                ..Stats::default()
            },
            trace: options.trace.then(String::new),
            neighbours: Vec::new(),
        };
        trace!(
            sim,
            "seed {seed}, skew {skew} ms, {reports} reports, {faults:?}"
        );
        let neighbours = sim.rng.between(1, 3);
        sim.neighbours_file(neighbours);
        let result = sim.drive(&mut plan).and_then(|()| sim.check());
        sim.stats.steps = u64::from(sim.step);
        RunReport {
            stats: sim.stats,
            trace: sim.trace.unwrap_or_default(),
            result,
        }
    }

    /// Runs `seed`; on failure, runs it again with a trace and panics with both.
    pub fn run_or_fail(&self, seed: u64, options: Options) -> Stats {
        let report = self.run(seed, options);
        if let Err(message) = report.result {
            let traced = self.run(
                seed,
                Options {
                    trace: true,
                    ..options
                },
            );
            panic!(
                "seed {seed} ({options:?}) failed: {message}\n\
                 replay: GREENWATCH_SIM_SEED={seed} {}\n{}",
                self.setup.command, traced.trace
            );
        }
        report.stats
    }

    /// Runs seeds `0..runs` on every core; panics with the smallest failing seed.
    pub fn run_many(&self, runs: u64, options: Options) -> Stats {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
        let results: Vec<(Stats, Option<u64>)> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|first| {
                    scope.spawn(move || {
                        let mut totals = Stats::default();
                        for seed in (first..runs).step_by(threads as usize) {
                            let report = self.run(seed, options);
                            if report.result.is_err() {
                                return (totals, Some(seed));
                            }
                            totals += report.stats;
                        }
                        (totals, None)
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().expect("a worker panicked"))
                .collect()
        });
        if let Some(seed) = results.iter().filter_map(|(_, failed)| *failed).min() {
            self.run_or_fail(seed, options);
            unreachable!("seed {seed} failed once and passed once: not deterministic");
        }
        let mut totals = Stats::default();
        for (stats, _) in results {
            totals += stats;
        }
        totals
    }

    /// With `GREENWATCH_SIM_SEED` set: runs that seed with a trace, prints
    /// it, panics if it fails, and says so (the caller then stops);
    /// otherwise runs `GREENWATCH_SIM_RUNS` seeds (`default_runs` if unset)
    /// and gives their number and totals.
    pub fn replay_or_run_many(&self, default_runs: u64) -> Option<(u64, Stats)> {
        if let Some(seed) = env_u64("GREENWATCH_SIM_SEED") {
            let report = self.run(
                seed,
                Options {
                    trace: true,
                    ..Options::default()
                },
            );
            eprintln!("{}", report.trace);
            match report.result {
                Ok(()) => eprintln!("seed {seed} passed: {:#?}", report.stats),
                Err(message) => panic!("seed {seed} failed: {message}"),
            }
            return None;
        }
        let runs = env_u64("GREENWATCH_SIM_RUNS").unwrap_or(default_runs);
        let started = Instant::now();
        let totals = self.run_many(runs, Options::default());
        eprintln!("{runs} runs in {:.2?}: {totals:#?}", started.elapsed());
        Some((runs, totals))
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
}
