//! The client's sync state machine: which request to make next, and what
//! an answer means. Pure and deterministic: no I/O, no clock, no randomness
//! of its own; the app brings "now" and a random number, makes the request
//! the machine names, and reports what happened.
//!
//! ```text
//! loop {
//!     match machine.next_action(now) {
//!         Action::Idle => wait for a reason (a report queued, `online`, …),
//!         Action::Wait(d) => sleep d (or until `retry_now`),
//!         action => {
//!             let outcome = perform(action);            // one HTTP request
//!             machine.on_outcome(&action, outcome, now, random());
//!             persist(machine); mirror states into the outbox;
//!         }
//!     }
//! }
//! ```
//!
//! A queued item is a report or a support ("I see this too", see
//! [`crate::support`]): [`SyncItem`]. Both go the same way, one at a time in
//! the order they were queued.
//!
//! Per item: `Queued` (create not confirmed) → create answered → `Sending`
//! (the server holds it, some media missing) → each medium answered →
//! `Sent` (the server says complete; holds the case number). A refusal
//! (409, 413, 415, 422) or a report that cannot be read on the device makes
//! it `NeedsAttention`, with the server's message; it is never dropped, and
//! it is skipped until the person edits and queues it again.
//!
//! Crash safety: every request is idempotent on the server and the machine
//! moves only on answers, so any persisted state is a correct place to
//! resume from. A create whose answer was lost leaves the report `Queued`,
//! and the machine simply creates again; a lost medium answer leaves the
//! medium in `missing`, and it is uploaded again.
//!
//! Persisting: the machine (serde, no secrets in it) is the reference for
//! sync progress; the outbox is the reference for what the person queued,
//! edited or deleted. The app writes the machine after every outcome and
//! copies the changed state into the outbox record; if it dies in between
//! either write, [`SyncMachine::reconcile`] on the next start puts them
//! back in line (a report queued but unknown to the machine is added, one
//! queued again after an edit starts over, one deleted is forgotten), and
//! the app rewrites the outbox states from [`SyncMachine::reports`]. Only
//! "the server was reachable" is not persisted: a started app checks first.
//!
//! Compared with the first sketch of this API: `on_outcome` takes the
//! action it answers (so `next_action` stays a pure query and an answer
//! can never be applied to the wrong report), [`Outcome::Failed`] carries
//! the raw status (the machine, not each caller, decides what a status
//! means), [`Outcome::CannotSend`] covers a report the device can no
//! longer read, and a state change is returned for the outbox to mirror.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::backoff::Backoff;
use super::case::CaseNumber;
use super::wire::IntakeStatus;
use crate::report::{FieldError, ReportId, ReportState, UnixMillis};
use crate::support::SupportId;
use crate::{ApiError, ErrorCode, LocalizedText};

/// The answers that make a report `NeedsAttention`: the server will refuse
/// the same request every time, so only the person can change something.
pub const REFUSAL_STATUSES: [u16; 4] = [409, 413, 415, 422];

/// What the machine sends: a report or a support, by the id the phone
/// gave it. Ordered reports first, then by id (the tie-break of the send
/// order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SyncItem {
    Report(ReportId),
    Support(SupportId),
}

impl SyncItem {
    /// The report, if it is one.
    pub fn report(self) -> Option<ReportId> {
        match self {
            SyncItem::Report(id) => Some(id),
            SyncItem::Support(_) => None,
        }
    }

    /// The support, if it is one.
    pub fn support(self) -> Option<SupportId> {
        match self {
            SyncItem::Support(id) => Some(id),
            SyncItem::Report(_) => None,
        }
    }
}

impl std::fmt::Display for SyncItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncItem::Report(id) => write!(f, "report {id}"),
            SyncItem::Support(id) => write!(f, "support {id}"),
        }
    }
}

impl From<ReportId> for SyncItem {
    fn from(id: ReportId) -> Self {
        SyncItem::Report(id)
    }
}

impl From<SupportId> for SyncItem {
    fn from(id: SupportId) -> Self {
        SyncItem::Support(id)
    }
}

/// An item the outbox holds as queued: what it is and when the person
/// queued it (the send order, and the generation: a new `queued_at` means
/// the person edited and queued it again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueuedItem {
    pub item: SyncItem,
    pub queued_at: UnixMillis,
}

/// Where one report is in its sending. Persisted as one flat object,
/// `{"state": "sending", "case_number": …, "missing": […]}`, through
/// [`PhaseWire`] (not serde's internal tagging, whose buffering costs the
/// app's wasm about 10 KB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PhaseWire", into = "PhaseWire")]
pub enum Phase {
    /// No create confirmed yet (one may have reached the server).
    Queued,
    /// The server holds the report under `case_number` and still needs the
    /// media at `missing` (ascending).
    Sending {
        case_number: CaseNumber,
        missing: Vec<u8>,
    },
    /// The server has all of it.
    Sent { case_number: CaseNumber },
    /// Refused, or unreadable on the device: waits for the person.
    NeedsAttention {
        message: LocalizedText,
        /// The fields the server named (422), for the form.
        fields: Vec<FieldError>,
        /// Set when the server already holds the report.
        case_number: Option<CaseNumber>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum PhaseCode {
    Queued,
    Sending,
    Sent,
    NeedsAttention,
}

#[derive(Serialize, Deserialize)]
struct PhaseWire {
    state: PhaseCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    case_number: Option<CaseNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    missing: Option<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<LocalizedText>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    fields: Vec<FieldError>,
}

/// A stored phase that lacks what its state needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a `{0}` phase needs its `{1}`")]
pub struct PhaseError(&'static str, &'static str);

impl TryFrom<PhaseWire> for Phase {
    type Error = PhaseError;

    fn try_from(wire: PhaseWire) -> Result<Self, PhaseError> {
        Ok(match wire.state {
            PhaseCode::Queued => Phase::Queued,
            PhaseCode::Sending => Phase::Sending {
                case_number: wire
                    .case_number
                    .ok_or(PhaseError("sending", "case_number"))?,
                missing: wire.missing.ok_or(PhaseError("sending", "missing"))?,
            },
            PhaseCode::Sent => Phase::Sent {
                case_number: wire.case_number.ok_or(PhaseError("sent", "case_number"))?,
            },
            PhaseCode::NeedsAttention => Phase::NeedsAttention {
                message: wire
                    .message
                    .ok_or(PhaseError("needs_attention", "message"))?,
                fields: wire.fields,
                case_number: wire.case_number,
            },
        })
    }
}

impl From<Phase> for PhaseWire {
    fn from(phase: Phase) -> Self {
        let wire = |state| PhaseWire {
            state,
            case_number: None,
            missing: None,
            message: None,
            fields: Vec::new(),
        };
        match phase {
            Phase::Queued => wire(PhaseCode::Queued),
            Phase::Sending {
                case_number,
                missing,
            } => PhaseWire {
                case_number: Some(case_number),
                missing: Some(missing),
                ..wire(PhaseCode::Sending)
            },
            Phase::Sent { case_number } => PhaseWire {
                case_number: Some(case_number),
                ..wire(PhaseCode::Sent)
            },
            Phase::NeedsAttention {
                message,
                fields,
                case_number,
            } => PhaseWire {
                case_number,
                message: Some(message),
                fields,
                ..wire(PhaseCode::NeedsAttention)
            },
        }
    }
}

impl Phase {
    /// The state the outbox shows for this phase.
    pub fn state(&self) -> ReportState {
        match self {
            Phase::Queued => ReportState::Queued,
            Phase::Sending { .. } => ReportState::Sending,
            Phase::Sent { .. } => ReportState::Sent,
            Phase::NeedsAttention { .. } => ReportState::NeedsAttention,
        }
    }

    /// The server's number for the report, once it has one.
    pub fn case_number(&self) -> Option<CaseNumber> {
        match self {
            Phase::Queued => None,
            Phase::Sending { case_number, .. } | Phase::Sent { case_number } => Some(*case_number),
            Phase::NeedsAttention { case_number, .. } => *case_number,
        }
    }

    fn is_pending(&self) -> bool {
        matches!(self, Phase::Queued | Phase::Sending { .. })
    }
}

/// One item the machine sends. Persisted as
/// `{"id": …, "kind": "support", "queued_at": …, "phase": {…}}`; `kind` is
/// left out for a report, so a machine stored before supports existed reads
/// back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ItemSyncWire", into = "ItemSyncWire")]
pub struct ItemSync {
    pub item: SyncItem,
    pub queued_at: UnixMillis,
    pub phase: Phase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ItemKind {
    #[default]
    Report,
    Support,
}

impl ItemKind {
    fn is_report(&self) -> bool {
        *self == ItemKind::Report
    }
}

#[derive(Serialize, Deserialize)]
struct ItemSyncWire {
    /// The report's or the support's UUID.
    id: uuid::Uuid,
    #[serde(default, skip_serializing_if = "ItemKind::is_report")]
    kind: ItemKind,
    queued_at: UnixMillis,
    phase: Phase,
}

impl From<ItemSyncWire> for ItemSync {
    fn from(wire: ItemSyncWire) -> Self {
        ItemSync {
            item: match wire.kind {
                ItemKind::Report => SyncItem::Report(ReportId::from_uuid(wire.id)),
                ItemKind::Support => SyncItem::Support(SupportId::from_uuid(wire.id)),
            },
            queued_at: wire.queued_at,
            phase: wire.phase,
        }
    }
}

impl From<ItemSync> for ItemSyncWire {
    fn from(sync: ItemSync) -> Self {
        let (id, kind) = match sync.item {
            SyncItem::Report(id) => (*id.as_uuid(), ItemKind::Report),
            SyncItem::Support(id) => (*id.as_uuid(), ItemKind::Support),
        };
        ItemSyncWire {
            id,
            kind,
            queued_at: sync.queued_at,
            phase: sync.phase,
        }
    }
}

/// The one thing to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `GET /api/health`: is the server reachable? (Before sending after a
    /// start or a network failure, so a dead network costs a tiny request
    /// rather than a photo upload.)
    CheckHealth,
    /// `PUT` the item's create body: a report's
    /// [`CreateReport`](super::CreateReport), a support's
    /// [`CreateSupport`](crate::support::CreateSupport).
    Create(SyncItem),
    /// `PUT` the bytes of medium `index` of the item.
    UploadMedium(SyncItem, u8),
    /// Nothing before this much time has passed (backoff, `Retry-After`).
    Wait(Duration),
    /// Nothing to send.
    Idle,
}

impl Action {
    /// The item the action is about, if any.
    pub fn item(&self) -> Option<SyncItem> {
        match self {
            Action::Create(item) | Action::UploadMedium(item, _) => Some(*item),
            Action::CheckHealth | Action::Wait(_) | Action::Idle => None,
        }
    }
}

/// What came of an action, as the app saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The health check answered 200.
    HealthOk,
    /// No answer: offline, DNS, timeout, connection cut. (The request may
    /// or may not have reached the server.)
    Unreachable,
    /// A create (201 or 200) or a medium upload (200) answered.
    Intake(IntakeStatus),
    /// Any other HTTP answer: its status, the [`ApiError`] body when it had
    /// one, and its `Retry-After` (see
    /// [`parse_retry_after`](super::parse_retry_after)).
    Failed {
        status: u16,
        error: Option<ApiError>,
        retry_after: Option<Duration>,
    },
    /// The app could not make the request: the report or a medium cannot be
    /// read from storage, or the server asked for a medium the report does
    /// not have. Retrying would not help.
    CannotSend(LocalizedText),
}

/// An item's state changed: the app writes it into the outbox record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateChange {
    pub item: SyncItem,
    pub from: ReportState,
    pub to: ReportState,
}

/// Whether the server was last seen reachable. Not persisted: a client that
/// starts checks health first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Link {
    #[default]
    Unknown,
    Up,
}

/// The whole sync state of one device. Serialise it after every
/// [`SyncMachine::on_outcome`]; after a restart, deserialise it and call
/// [`SyncMachine::reconcile`] with the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(from = "SyncMachineWire")]
pub struct SyncMachine {
    /// Oldest queued first (by `queued_at`, then item). Named `reports`
    /// on the wire since before supports existed.
    #[serde(rename = "reports")]
    items: Vec<ItemSync>,
    /// Failed tries in a row, for the backoff.
    attempt: u32,
    /// No request before this time.
    not_before: Option<UnixMillis>,
    #[serde(skip)]
    link: Link,
}

#[derive(Deserialize)]
struct SyncMachineWire {
    /// Named `reports` on the wire since before supports existed.
    #[serde(default)]
    reports: Vec<ItemSync>,
    #[serde(default)]
    attempt: u32,
    #[serde(default)]
    not_before: Option<UnixMillis>,
}

impl From<SyncMachineWire> for SyncMachine {
    fn from(wire: SyncMachineWire) -> Self {
        let mut machine = SyncMachine {
            items: Vec::with_capacity(wire.reports.len()),
            attempt: wire.attempt,
            not_before: wire.not_before,
            link: Link::Unknown,
        };
        // Whatever was stored: one entry per id, in send order.
        for item in wire.reports {
            if machine.get(item.item).is_none() {
                machine.items.push(item);
            }
        }
        machine.sort();
        machine
    }
}

fn add(at: UnixMillis, delay: Duration) -> UnixMillis {
    let millis = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
    UnixMillis(at.0.saturating_add(millis))
}

impl SyncMachine {
    /// The backoff every retry follows.
    pub const BACKOFF: Backoff = Backoff::DEFAULT;

    /// A machine with nothing to send.
    pub fn new() -> SyncMachine {
        SyncMachine::default()
    }

    /// Every item the machine knows, in send order.
    pub fn items(&self) -> &[ItemSync] {
        &self.items
    }

    pub fn get(&self, item: SyncItem) -> Option<&ItemSync> {
        self.items.iter().find(|sync| sync.item == item)
    }

    pub fn state_of(&self, item: SyncItem) -> Option<ReportState> {
        self.get(item).map(|sync| sync.phase.state())
    }

    /// The item being sent: the oldest queued one still `Queued` or
    /// `Sending`.
    pub fn current(&self) -> Option<&ItemSync> {
        self.items.iter().find(|sync| sync.phase.is_pending())
    }

    /// Restores send order: oldest queued first, then by item. An insertion
    /// sort: the list is short and almost always sorted already, and it
    /// keeps the generic sort machinery (a few KB) out of the app's wasm.
    fn sort(&mut self) {
        let key = |sync: &ItemSync| (sync.queued_at, sync.item);
        for i in 1..self.items.len() {
            let mut j = i;
            while j > 0 && key(&self.items[j - 1]) > key(&self.items[j]) {
                self.items.swap(j - 1, j);
                j -= 1;
            }
        }
    }

    /// The person queued `item` at `queued_at`: a new item is added
    /// `Queued`; a known one queued again (another `queued_at`, after an
    /// edit) starts over as `Queued`. A `Sent` item stays `Sent`: it is on
    /// the server for good. Queueing the same generation again changes
    /// nothing, so the app may call this as often as it likes.
    pub fn queue(&mut self, item: SyncItem, queued_at: UnixMillis) -> Option<StateChange> {
        let change = match self.items.iter_mut().find(|sync| sync.item == item) {
            None => {
                self.items.push(ItemSync {
                    item,
                    queued_at,
                    phase: Phase::Queued,
                });
                None
            }
            Some(sync) if sync.queued_at == queued_at => return None,
            Some(ItemSync {
                phase: Phase::Sent { .. },
                ..
            }) => return None,
            Some(sync) => {
                let from = sync.phase.state();
                sync.queued_at = queued_at;
                sync.phase = Phase::Queued;
                (from != ReportState::Queued).then_some(StateChange {
                    item,
                    from,
                    to: ReportState::Queued,
                })
            }
        };
        self.sort();
        change
    }

    /// The person deleted the item from the device: stop sending it. (What
    /// the server already has, it keeps.)
    pub fn remove(&mut self, item: SyncItem) -> Option<ItemSync> {
        let index = self.items.iter().position(|sync| sync.item == item)?;
        Some(self.items.remove(index))
    }

    /// Brings the machine in line with the outbox, after a start: `queued`
    /// is every report and support on the device the person has queued
    /// (whatever state the outbox shows for it), with its `queued_at`.
    /// Items the machine does not know are added, items queued again are
    /// reset (see [`SyncMachine::queue`]), and items no longer on the
    /// device are forgotten. The machine's progress is kept for the rest: it
    /// is more recent than the outbox's copy of the states, which the app
    /// then rewrites from [`SyncMachine::items`].
    pub fn reconcile(&mut self, queued: impl IntoIterator<Item = QueuedItem>) {
        let queued: Vec<QueuedItem> = queued.into_iter().collect();
        self.items
            .retain(|sync| queued.iter().any(|q| q.item == sync.item));
        for item in queued {
            self.queue(item.item, item.queued_at);
        }
    }

    /// Try now: forget the current wait and check the server first. For the
    /// browser's `online` event or a "send now" button.
    pub fn retry_now(&mut self) {
        self.not_before = None;
        self.link = Link::Unknown;
    }

    /// The next thing to do at `now`.
    ///
    /// One item at a time, oldest queued first; its create, then its
    /// media one by one in the order the server lists them as missing.
    /// A wait that reaches further than the backoff's cap (the device's
    /// clock went back) is ignored.
    pub fn next_action(&self, now: UnixMillis) -> Action {
        let Some(current) = self.current() else {
            return Action::Idle;
        };
        if let Some(not_before) = self.not_before {
            let remaining = not_before.0.saturating_sub(now.0);
            let cap = i64::try_from(Self::BACKOFF.cap.as_millis()).unwrap_or(i64::MAX);
            if remaining > 0 && remaining <= cap {
                return Action::Wait(Duration::from_millis(remaining as u64));
            }
        }
        if self.link == Link::Unknown {
            return Action::CheckHealth;
        }
        match &current.phase {
            Phase::Sending { missing, .. } => match missing.first() {
                Some(&index) => Action::UploadMedium(current.item, index),
                // Not something the server says; ask it again.
                None => Action::Create(current.item),
            },
            _ => Action::Create(current.item),
        }
    }

    /// What came of `action` (the one [`SyncMachine::next_action`] gave),
    /// at `now`; `random_unit` in `[0, 1)` spreads the backoff. Returns the
    /// item's state that changed, if one did.
    ///
    /// - `HealthOk`: send again (the backoff keeps growing until something
    ///   is actually answered).
    /// - `Unreachable`, a 5xx: back off, then check health first.
    /// - 429 and other answers: back off at least `Retry-After`, then retry.
    /// - An intake status: the item is `Sending` (media missing) or `Sent`
    ///   (complete); the backoff starts over.
    /// - 409, 413, 415, 422, or `CannotSend`: the item `NeedsAttention`
    ///   with the message; the next item goes on.
    /// - 404 to a medium: the server does not know the item (any more);
    ///   it goes back to `Queued` to be created again.
    ///
    /// An outcome for an item that is no longer `Queued` or `Sending`
    /// (deleted, or it already got its answer) changes nothing.
    pub fn on_outcome(
        &mut self,
        action: &Action,
        outcome: Outcome,
        now: UnixMillis,
        random_unit: f64,
    ) -> Option<StateChange> {
        match outcome {
            Outcome::HealthOk => {
                self.link = Link::Up;
                self.not_before = None;
                None
            }
            Outcome::Unreachable => {
                self.link = Link::Unknown;
                self.back_off(now, None, random_unit);
                None
            }
            Outcome::Intake(status) => {
                self.link = Link::Up;
                self.attempt = 0;
                self.not_before = None;
                let phase = if status.is_complete() {
                    Phase::Sent {
                        case_number: status.case_number(),
                    }
                } else {
                    Phase::Sending {
                        case_number: status.case_number(),
                        missing: status.missing().to_vec(),
                    }
                };
                self.set_pending_phase(action.item()?, phase)
            }
            Outcome::Failed {
                status,
                error,
                retry_after,
            } => {
                self.link = if (500..600).contains(&status) {
                    Link::Unknown
                } else {
                    Link::Up
                };
                let Some(item) = action.item() else {
                    self.link = Link::Unknown;
                    self.back_off(now, retry_after, random_unit);
                    return None;
                };
                if REFUSAL_STATUSES.contains(&status) {
                    self.attempt = 0;
                    self.not_before = None;
                    let error = error.unwrap_or_else(|| {
                        ErrorCode::from_status(status)
                            .map(ApiError::from)
                            .unwrap_or_else(|| ApiError::from(ErrorCode::Invalid))
                    });
                    return self.needs_attention(item, error.message, error.fields);
                }
                self.back_off(now, retry_after, random_unit);
                if status == 404 && matches!(action, Action::UploadMedium(..)) {
                    return self.set_pending_phase(item, Phase::Queued);
                }
                None
            }
            Outcome::CannotSend(message) => {
                let item = action.item()?;
                self.needs_attention(item, message, Vec::new())
            }
        }
    }

    fn back_off(&mut self, now: UnixMillis, retry_after: Option<Duration>, random_unit: f64) {
        let delay = Self::BACKOFF.next_delay(self.attempt, retry_after, random_unit);
        self.attempt = self.attempt.saturating_add(1);
        self.not_before = Some(add(now, delay));
    }

    /// Moves a `Queued` or `Sending` item to `phase`.
    fn set_pending_phase(&mut self, item: SyncItem, phase: Phase) -> Option<StateChange> {
        let sync = self
            .items
            .iter_mut()
            .find(|sync| sync.item == item && sync.phase.is_pending())?;
        let from = sync.phase.state();
        let to = phase.state();
        sync.phase = phase;
        (from != to).then_some(StateChange { item, from, to })
    }

    fn needs_attention(
        &mut self,
        item: SyncItem,
        message: LocalizedText,
        fields: Vec<FieldError>,
    ) -> Option<StateChange> {
        let case_number = self.get(item)?.phase.case_number();
        self.set_pending_phase(
            item,
            Phase::NeedsAttention {
                message,
                fields,
                case_number,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Field;
    use crate::sync::wire::tests::case;
    use proptest::prelude::*;
    use uuid::Uuid;

    const T0: UnixMillis = UnixMillis(1_767_225_600_000);

    fn id(n: u128) -> SyncItem {
        SyncItem::Report(ReportId::from_uuid(Uuid::from_u128(n)))
    }

    fn support(n: u128) -> SyncItem {
        SyncItem::Support(SupportId::from_uuid(Uuid::from_u128(n)))
    }

    fn at(ms: i64) -> UnixMillis {
        UnixMillis(T0.0 + ms)
    }

    fn intake(sequence: u32, missing: &[u8]) -> Outcome {
        Outcome::Intake(IntakeStatus::new(case(sequence), missing.iter().copied()))
    }

    fn failed(status: u16) -> Outcome {
        Outcome::Failed {
            status,
            error: None,
            retry_after: None,
        }
    }

    /// A machine that has checked health, with `ids` queued in that order.
    fn machine(ids: &[u128]) -> SyncMachine {
        let mut machine = SyncMachine::new();
        for (i, &n) in ids.iter().enumerate() {
            machine.queue(id(n), at(i as i64));
        }
        machine.on_outcome(&Action::CheckHealth, Outcome::HealthOk, T0, 0.5);
        machine
    }

    /// Runs `action` with `outcome` after checking it is the next action.
    fn step(
        machine: &mut SyncMachine,
        now: UnixMillis,
        action: Action,
        outcome: Outcome,
    ) -> Option<StateChange> {
        assert_eq!(machine.next_action(now), action);
        machine.on_outcome(&action, outcome, now, 0.5)
    }

    #[test]
    fn nothing_queued_is_idle_even_before_a_health_check() {
        let machine = SyncMachine::new();
        assert_eq!(machine.next_action(T0), Action::Idle);
        assert!(machine.current().is_none());
    }

    #[test]
    fn a_fresh_machine_checks_health_first() {
        let mut machine = SyncMachine::new();
        machine.queue(id(1), T0);
        assert_eq!(machine.next_action(T0), Action::CheckHealth);
        machine.on_outcome(&Action::CheckHealth, Outcome::HealthOk, T0, 0.5);
        assert_eq!(machine.next_action(T0), Action::Create(id(1)));
    }

    #[test]
    fn a_report_is_created_then_its_media_go_one_by_one() {
        let mut m = machine(&[1, 2]);
        let r = id(1);
        assert_eq!(
            step(&mut m, T0, Action::Create(r), intake(7, &[2, 0, 1])),
            Some(StateChange {
                item: r,
                from: ReportState::Queued,
                to: ReportState::Sending
            })
        );
        assert_eq!(m.get(r).map(|s| s.phase.case_number()), Some(Some(case(7))));
        assert_eq!(
            step(&mut m, T0, Action::UploadMedium(r, 0), intake(7, &[1, 2])),
            None
        );
        // The server decides what is missing, not the order the client tried.
        assert_eq!(
            step(&mut m, T0, Action::UploadMedium(r, 1), intake(7, &[2])),
            None
        );
        assert_eq!(
            step(&mut m, T0, Action::UploadMedium(r, 2), intake(7, &[])),
            Some(StateChange {
                item: r,
                from: ReportState::Sending,
                to: ReportState::Sent
            })
        );
        assert_eq!(
            m.get(r).map(|s| &s.phase),
            Some(&Phase::Sent {
                case_number: case(7)
            })
        );
        // Then the next report; a report without media is sent by its create.
        assert_eq!(
            step(&mut m, T0, Action::Create(id(2)), intake(8, &[])),
            Some(StateChange {
                item: id(2),
                from: ReportState::Queued,
                to: ReportState::Sent
            })
        );
        assert_eq!(m.next_action(T0), Action::Idle);
    }

    #[test]
    fn reports_go_oldest_queued_first() {
        let mut m = SyncMachine::new();
        m.queue(id(3), at(5));
        m.queue(id(1), at(9));
        m.queue(id(2), at(5));
        m.on_outcome(&Action::CheckHealth, Outcome::HealthOk, T0, 0.0);
        let order: Vec<SyncItem> = m.items().iter().map(|r| r.item).collect();
        assert_eq!(order, [id(2), id(3), id(1)]);
        assert_eq!(m.next_action(T0), Action::Create(id(2)));
    }

    #[test]
    fn a_lost_answer_backs_off_then_checks_health_then_creates_again() {
        let mut m = machine(&[1]);
        let r = id(1);
        assert_eq!(
            step(&mut m, T0, Action::Create(r), Outcome::Unreachable),
            None
        );
        // attempt 0: half of 1 s.
        assert_eq!(m.next_action(T0), Action::Wait(Duration::from_millis(500)));
        assert_eq!(
            m.next_action(at(499)),
            Action::Wait(Duration::from_millis(1))
        );
        assert_eq!(m.next_action(at(500)), Action::CheckHealth);
        m.on_outcome(&Action::CheckHealth, Outcome::Unreachable, at(500), 0.5);
        // attempt 1: half of 2 s.
        assert_eq!(m.next_action(at(500)), Action::Wait(Duration::from_secs(1)));
        m.on_outcome(&Action::CheckHealth, Outcome::HealthOk, at(1500), 0.5);
        assert_eq!(m.next_action(at(1500)), Action::Create(r));
        // A health check alone does not reset the backoff.
        m.on_outcome(&Action::Create(r), Outcome::Unreachable, at(1500), 0.5);
        assert_eq!(
            m.next_action(at(1500)),
            Action::Wait(Duration::from_secs(2))
        );
        // An answer does.
        m.on_outcome(&Action::CheckHealth, Outcome::HealthOk, at(3500), 0.5);
        step(&mut m, at(3500), Action::Create(r), intake(1, &[0]));
        m.on_outcome(
            &Action::UploadMedium(r, 0),
            Outcome::Unreachable,
            at(3500),
            0.5,
        );
        assert_eq!(
            m.next_action(at(3500)),
            Action::Wait(Duration::from_millis(500))
        );
    }

    #[test]
    fn rate_limits_wait_at_least_retry_after_without_a_health_check() {
        let mut m = machine(&[1]);
        let r = id(1);
        let limited = Outcome::Failed {
            status: 429,
            error: Some(ErrorCode::RateLimited.into()),
            retry_after: Some(Duration::from_secs(30)),
        };
        assert_eq!(step(&mut m, T0, Action::Create(r), limited), None);
        assert_eq!(m.next_action(T0), Action::Wait(Duration::from_secs(30)));
        assert_eq!(m.next_action(at(30_000)), Action::Create(r));
        assert_eq!(m.state_of(r), Some(ReportState::Queued));
    }

    #[test]
    fn server_errors_back_off_and_check_health() {
        let mut m = machine(&[1]);
        let r = id(1);
        step(&mut m, T0, Action::Create(r), intake(1, &[0]));
        step(&mut m, T0, Action::UploadMedium(r, 0), failed(503));
        assert_eq!(m.next_action(T0), Action::Wait(Duration::from_millis(500)));
        assert_eq!(m.next_action(at(500)), Action::CheckHealth);
        m.on_outcome(&Action::CheckHealth, Outcome::HealthOk, at(500), 0.5);
        assert_eq!(m.next_action(at(500)), Action::UploadMedium(r, 0));
        // Another status the machine has no rule for: retry, link kept.
        step(&mut m, at(500), Action::UploadMedium(r, 0), failed(401));
        assert_eq!(m.next_action(at(10_000)), Action::UploadMedium(r, 0));
        assert_eq!(m.state_of(r), Some(ReportState::Sending));
    }

    #[test]
    fn refusals_need_attention_keep_the_message_and_never_drop_the_report() {
        for status in REFUSAL_STATUSES {
            let mut m = machine(&[1, 2]);
            let r = id(1);
            let error = ApiError::invalid(vec![FieldError {
                field: Field::SeenAt,
                message: LocalizedText::new("时间在将来。", "The time is in the future."),
            }]);
            let outcome = Outcome::Failed {
                status,
                error: Some(error.clone()),
                retry_after: None,
            };
            assert_eq!(
                step(&mut m, T0, Action::Create(r), outcome),
                Some(StateChange {
                    item: r,
                    from: ReportState::Queued,
                    to: ReportState::NeedsAttention
                })
            );
            assert_eq!(
                m.get(r).map(|s| &s.phase),
                Some(&Phase::NeedsAttention {
                    message: error.message.clone(),
                    fields: error.fields.clone(),
                    case_number: None
                })
            );
            // Skipped; the next report goes on at once.
            assert_eq!(m.next_action(T0), Action::Create(id(2)));
            step(&mut m, T0, Action::Create(id(2)), intake(2, &[]));
            assert_eq!(m.next_action(T0), Action::Idle);
            assert_eq!(m.items().len(), 2);
        }
    }

    #[test]
    fn a_refused_medium_keeps_the_case_number_and_a_bodyless_refusal_gets_a_message() {
        let mut m = machine(&[1]);
        let r = id(1);
        step(&mut m, T0, Action::Create(r), intake(4, &[0]));
        step(&mut m, T0, Action::UploadMedium(r, 0), failed(413));
        let Some(Phase::NeedsAttention {
            message,
            case_number,
            ..
        }) = m.get(r).map(|s| &s.phase)
        else {
            panic!("needs attention");
        };
        assert_eq!(*case_number, Some(case(4)));
        assert_eq!(message, &ErrorCode::PayloadTooLarge.message());
    }

    #[test]
    fn a_report_that_cannot_be_read_needs_attention() {
        let mut m = machine(&[1]);
        let r = id(1);
        step(&mut m, T0, Action::Create(r), intake(4, &[0]));
        let message = LocalizedText::new("照片无法读取。", "A photo cannot be read.");
        let change = step(
            &mut m,
            T0,
            Action::UploadMedium(r, 0),
            Outcome::CannotSend(message.clone()),
        );
        assert_eq!(change.map(|c| c.to), Some(ReportState::NeedsAttention));
        assert_eq!(m.next_action(T0), Action::Idle);
    }

    #[test]
    fn a_medium_the_server_does_not_know_sends_the_report_again() {
        let mut m = machine(&[1]);
        let r = id(1);
        step(&mut m, T0, Action::Create(r), intake(4, &[0]));
        let change = step(&mut m, T0, Action::UploadMedium(r, 0), failed(404));
        assert_eq!(
            change.map(|c| (c.from, c.to)),
            Some((ReportState::Sending, ReportState::Queued))
        );
        assert_eq!(m.next_action(at(10_000)), Action::Create(r));
        // A 404 to a create (an older server without the route): just retry.
        step(&mut m, at(10_000), Action::Create(r), failed(404));
        assert_eq!(m.state_of(r), Some(ReportState::Queued));
    }

    #[test]
    fn queueing_again_after_an_edit_starts_over_at_the_back() {
        let mut m = machine(&[1, 2]);
        let r = id(1);
        step(&mut m, T0, Action::Create(r), failed(422));
        assert_eq!(m.queue(r, at(0)), None, "same generation: nothing to do");
        assert_eq!(m.state_of(r), Some(ReportState::NeedsAttention));
        assert_eq!(
            m.queue(r, at(100)),
            Some(StateChange {
                item: r,
                from: ReportState::NeedsAttention,
                to: ReportState::Queued
            })
        );
        let order: Vec<SyncItem> = m.items().iter().map(|r| r.item).collect();
        assert_eq!(order, [id(2), r]);
        step(&mut m, T0, Action::Create(id(2)), intake(1, &[]));
        assert_eq!(m.next_action(T0), Action::Create(r));
        // A sent report stays sent.
        step(&mut m, T0, Action::Create(r), intake(2, &[]));
        assert_eq!(m.queue(r, at(500)), None);
        assert_eq!(m.state_of(r), Some(ReportState::Sent));
    }

    #[test]
    fn stale_outcomes_change_nothing() {
        let mut m = machine(&[1]);
        let r = id(1);
        step(&mut m, T0, Action::Create(r), intake(1, &[]));
        let before = m.clone();
        assert_eq!(
            m.on_outcome(&Action::Create(r), intake(1, &[0]), T0, 0.5),
            None
        );
        assert_eq!(m.on_outcome(&Action::Create(r), failed(409), T0, 0.5), None);
        assert_eq!(m.items(), before.items());
        assert_eq!(
            m.on_outcome(&Action::Create(id(9)), intake(3, &[]), T0, 0.5),
            None
        );
        assert!(m.get(id(9)).is_none());
        assert!(m.remove(r).is_some() && m.remove(r).is_none());
        assert_eq!(m.next_action(T0), Action::Idle);
    }

    #[test]
    fn a_restarted_machine_resumes_where_it_stopped() {
        let mut m = machine(&[1, 2]);
        let r = id(1);
        step(&mut m, T0, Action::Create(r), intake(5, &[0, 1]));
        step(&mut m, T0, Action::UploadMedium(r, 0), intake(5, &[1]));
        m.on_outcome(&Action::UploadMedium(r, 1), Outcome::Unreachable, T0, 0.5);
        let json = serde_json::to_string(&m).expect("serialise");
        let back: SyncMachine = serde_json::from_str(&json).expect("parse");
        assert_eq!(back.items(), m.items());
        // Same wait, then a health check (the link is not persisted).
        assert_eq!(back.next_action(T0), m.next_action(T0));
        assert_eq!(back.next_action(at(500)), Action::CheckHealth);
        let mut back = back;
        back.on_outcome(&Action::CheckHealth, Outcome::HealthOk, at(500), 0.5);
        assert_eq!(back.next_action(at(500)), Action::UploadMedium(r, 1));
    }

    #[test]
    fn the_persisted_form_is_readable() {
        let mut m = machine(&[1]);
        step(&mut m, T0, Action::Create(id(1)), intake(5, &[1, 2]));
        let json = serde_json::to_value(&m).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({
                "reports": [{
                    "id": "00000000-0000-0000-0000-000000000001",
                    "queued_at": T0.0,
                    "phase": {"state": "sending", "case_number": "GW-2026-000005", "missing": [1, 2]}
                }],
                "attempt": 0,
                "not_before": null
            })
        );
        // Stored by hand or by an older version: duplicates and order fixed.
        let messy = serde_json::json!({
            "reports": [
                {"id": "00000000-0000-0000-0000-000000000002", "queued_at": 9, "phase": {"state": "queued"}},
                {"id": "00000000-0000-0000-0000-000000000001", "queued_at": 3, "phase": {"state": "queued"}},
                {"id": "00000000-0000-0000-0000-000000000002", "queued_at": 1, "phase": {"state": "queued"}}
            ]
        });
        let m: SyncMachine = serde_json::from_value(messy).expect("parse");
        let order: Vec<_> = m.items().iter().map(|r| (r.item, r.queued_at.0)).collect();
        assert_eq!(order, [(id(1), 3), (id(2), 9)]);
        assert_eq!(
            serde_json::from_str::<SyncMachine>("{}").expect("parse"),
            SyncMachine::new()
        );
    }

    #[test]
    fn supports_go_the_same_way_as_reports_in_queue_order() {
        let mut m = SyncMachine::new();
        let (r, s) = (id(1), support(1));
        m.queue(s, at(0));
        m.queue(r, at(5));
        m.on_outcome(&Action::CheckHealth, Outcome::HealthOk, T0, 0.5);
        // The support was queued first; one UUID may be both without harm.
        assert_eq!(
            step(&mut m, T0, Action::Create(s), intake(3, &[0, 1])),
            Some(StateChange {
                item: s,
                from: ReportState::Queued,
                to: ReportState::Sending
            })
        );
        step(&mut m, T0, Action::UploadMedium(s, 0), intake(3, &[1]));
        // A 404 to a medium: the server lost it; create again.
        step(&mut m, T0, Action::UploadMedium(s, 1), failed(404));
        assert_eq!(m.state_of(s), Some(ReportState::Queued));
        assert_eq!(m.state_of(r), Some(ReportState::Queued));
        assert_eq!(m.next_action(at(10_000)), Action::Create(s));
        step(&mut m, at(10_000), Action::Create(s), intake(3, &[]));
        assert_eq!(
            m.get(s).map(|sync| &sync.phase),
            Some(&Phase::Sent {
                case_number: case(3)
            })
        );
        step(&mut m, at(10_000), Action::Create(r), failed(422));
        assert_eq!(m.state_of(r), Some(ReportState::NeedsAttention));
        assert_eq!(m.next_action(at(10_000)), Action::Idle);
        assert_eq!(m.remove(s).map(|sync| sync.item), Some(s));
        assert_eq!(s.support(), Some(SupportId::from_uuid(Uuid::from_u128(1))));
        assert_eq!(s.report(), None);
        assert_eq!(r.report(), Some(ReportId::from_uuid(Uuid::from_u128(1))));
    }

    #[test]
    fn a_support_is_stored_with_its_kind_and_an_old_machine_reads_as_reports() {
        let mut m = SyncMachine::new();
        m.queue(support(2), at(1));
        m.queue(id(2), at(1));
        let json = serde_json::to_value(&m).expect("serialise");
        assert_eq!(
            json["reports"],
            serde_json::json!([
                {"id": "00000000-0000-0000-0000-000000000002", "queued_at": T0.0 + 1, "phase": {"state": "queued"}},
                {"id": "00000000-0000-0000-0000-000000000002", "kind": "support", "queued_at": T0.0 + 1, "phase": {"state": "queued"}}
            ])
        );
        let back: SyncMachine = serde_json::from_value(json).expect("parse");
        assert_eq!(back.items(), m.items());
        // As stored before supports existed: no `kind`.
        let old = serde_json::json!({"reports": [
            {"id": "00000000-0000-0000-0000-000000000003", "queued_at": 1, "phase": {"state": "sent", "case_number": "GW-2026-000001"}}
        ]});
        let old: SyncMachine = serde_json::from_value(old).expect("parse");
        assert_eq!(old.state_of(id(3)), Some(ReportState::Sent));
        let unknown = serde_json::json!({"reports": [
            {"id": "00000000-0000-0000-0000-000000000003", "kind": "letter", "queued_at": 1, "phase": {"state": "queued"}}
        ]});
        assert!(serde_json::from_value::<SyncMachine>(unknown).is_err());
    }

    #[test]
    fn reconcile_follows_the_outbox() {
        let mut m = machine(&[1, 2, 3]);
        step(&mut m, T0, Action::Create(id(1)), intake(1, &[]));
        step(&mut m, T0, Action::Create(id(2)), failed(422));
        // The outbox: 1 as it was, 2 queued again after an edit, 3 deleted,
        // 4 queued while the machine was not told (a crash in between).
        m.reconcile([
            QueuedItem {
                item: id(1),
                queued_at: at(0),
            },
            QueuedItem {
                item: id(2),
                queued_at: at(50),
            },
            QueuedItem {
                item: id(4),
                queued_at: at(40),
            },
        ]);
        let states: Vec<_> = m
            .items()
            .iter()
            .map(|r| (r.item, r.phase.state()))
            .collect();
        assert_eq!(
            states,
            [
                (id(1), ReportState::Sent),
                (id(4), ReportState::Queued),
                (id(2), ReportState::Queued)
            ]
        );
        assert_eq!(m.next_action(T0), Action::Create(id(4)));
    }

    #[test]
    fn a_wait_beyond_the_cap_means_the_clock_went_back() {
        let mut m = machine(&[1]);
        m.on_outcome(&Action::Create(id(1)), failed(429), at(1_000_000), 0.99);
        assert!(matches!(m.next_action(at(1_000_000)), Action::Wait(_)));
        assert_eq!(m.next_action(at(0)), Action::Create(id(1)));
        m.retry_now();
        assert_eq!(m.next_action(at(1_000_000)), Action::CheckHealth);
    }

    #[test]
    fn failed_health_checks_back_off() {
        let mut m = SyncMachine::new();
        m.queue(id(1), T0);
        m.on_outcome(&Action::CheckHealth, failed(502), T0, 0.5);
        assert_eq!(m.next_action(T0), Action::Wait(Duration::from_millis(500)));
        m.on_outcome(&Action::CheckHealth, failed(429), at(500), 0.5);
        assert_eq!(m.next_action(at(500)), Action::Wait(Duration::from_secs(1)));
        assert_eq!(m.next_action(at(1500)), Action::CheckHealth);
        assert_eq!(Action::CheckHealth.item(), None);
    }

    // A property test: whatever the answers, in whatever order, with a
    // restart from the persisted form at any point, the machine never
    // loses an item (report or support), never leaves `Sent`, only uploads
    // what the server last said is missing, and never waits longer than
    // the cap.

    #[derive(Debug, Clone)]
    enum Event {
        Answer(u8),
        Restart,
        Requeue(u128),
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            8 => any::<u8>().prop_map(Event::Answer),
            1 => Just(Event::Restart),
            1 => (1u128..=4).prop_map(Event::Requeue),
        ]
    }

    /// Reports and supports in turn: the machine treats them alike.
    fn mixed(n: u128) -> SyncItem {
        if n.is_multiple_of(2) {
            support(n)
        } else {
            id(n)
        }
    }

    fn outcome_for(action: &Action, pick: u8, sequence: u32) -> Outcome {
        let missing: Vec<u8> = (0..4).filter(|bit| pick & (1 << bit) != 0).collect();
        match (action, pick % 9) {
            (Action::CheckHealth, 0..=5) => Outcome::HealthOk,
            (_, 0..=3) => intake(sequence, &missing),
            (_, 4) => Outcome::Unreachable,
            (_, 5) => failed(503),
            (_, 6) => failed(429),
            (_, 7) => failed([409, 413, 415, 422][usize::from(pick >> 6)]),
            _ => failed(404),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn the_machine_never_loses_or_reopens_a_report(
            events in prop::collection::vec(event(), 0..80),
            units in prop::collection::vec(0.0..1.0f64, 80),
        ) {
            let mut m = SyncMachine::new();
            for n in 1..=4 {
                m.queue(mixed(n), at(n as i64));
            }
            let mut now = T0;
            let mut sent: Vec<(SyncItem, CaseNumber)> = Vec::new();
            let mut last_missing: Vec<(SyncItem, Vec<u8>)> = Vec::new();
            for (i, event) in events.into_iter().enumerate() {
                match event {
                    Event::Restart => {
                        let json = serde_json::to_string(&m).expect("serialise");
                        m = serde_json::from_str(&json).expect("parse");
                    }
                    Event::Requeue(n) => {
                        m.queue(mixed(n), at(1000 + i as i64));
                    }
                    Event::Answer(pick) => {
                        let action = m.next_action(now);
                        match action {
                            Action::Idle => break,
                            Action::Wait(d) => {
                                prop_assert!(d > Duration::ZERO && d <= Backoff::DEFAULT.cap);
                                now = add(now, d);
                                continue;
                            }
                            Action::UploadMedium(r, index) => {
                                let known = last_missing.iter().find(|(id, _)| *id == r);
                                prop_assert_eq!(known.and_then(|(_, missing)| missing.first()), Some(&index));
                            }
                            Action::Create(r) => prop_assert!(m.get(r).is_some_and(|s| s.phase.is_pending())),
                            Action::CheckHealth => {}
                        }
                        let outcome = outcome_for(&action, pick, 1 + i as u32);
                        if let (Some(r), Outcome::Intake(status)) = (action.item(), &outcome) {
                            last_missing.retain(|(id, _)| *id != r);
                            last_missing.push((r, status.missing().to_vec()));
                        }
                        m.on_outcome(&action, outcome, now, units[i]);
                    }
                }
                prop_assert_eq!(m.items().len(), 4);
                for &(r, case_number) in &sent {
                    prop_assert_eq!(m.get(r).map(|s| &s.phase), Some(&Phase::Sent { case_number }));
                }
                for report in m.items() {
                    if let Phase::Sent { case_number } = report.phase {
                        if !sent.iter().any(|(id, _)| *id == report.item) {
                            sent.push((report.item, case_number));
                        }
                    }
                }
            }
        }
    }
}
