//! A MODEL of the server's report intake: the rules the real server (axum,
//! with its database) must follow, kept as small as possible so they can be
//! read at a glance. It is not the server; the simulation runs the client
//! against this model, and a later test runs it against the real server
//! through the same [`IntakeServer`] trait.
//!
//! The rules:
//! - `PUT /api/v1/reports/{id}`: a body that does not parse is 422. An id
//!   the server holds: the same content fingerprint is 200 with the same
//!   case (even if today's rules or clock would refuse the body), another
//!   fingerprint is 409. An id it does not hold: the body must pass
//!   [`CreateReport::check`] (else its 413/415/422); then the report is
//!   stored with its fingerprint and receipt hash, the year's next case
//!   number is assigned, 201. Nothing is stored for a refused create, and
//!   no case number is spent on one.
//! - `PUT /api/v1/reports/{id}/media/{index}`: 404 for an unknown report,
//!   422 for an index the report does not declare; the bytes must pass
//!   [`MediumDecl::check_bytes`] (413/422); a medium already stored is not
//!   stored again; 200.
//! - Both answer the [`IntakeStatus`]: the case number and what is missing.
//!   The case's timeline starts (`received`) when the last medium arrives.
//! - `GET /api/v1/cases/{case}` with `X-Receipt`: the timeline when the case
//!   exists, is complete and the receipt matches; otherwise the same 404.
//! - Everything is durable before it is answered: a restart loses nothing
//!   that was acknowledged.

use std::collections::BTreeMap;

use protocol::report::UnixMillis;
use protocol::sync::{
    content_fingerprint, CaseEventKind, CaseNumber, CreateReport, IntakeError, IntakeStatus,
    ReceiptSecret, Timeline, TimelineEvent,
};
use protocol::{ApiError, ErrorCode};

use super::{AuditCase, IntakeServer, Request, Response};

/// Deliberate bugs, to show the simulation catches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    /// Every create opens a new case, as if ids were not checked.
    CreateNotIdempotent,
    /// Media bytes are stored without checking them against the declaration.
    SkipsHashCheck,
    /// Media acknowledged since the last restart are lost by the restart.
    AcksBeforeDurable,
}

struct Case {
    report_id: protocol::report::ReportId,
    case_number: CaseNumber,
    fingerprint: String,
    body: CreateReport,
    media: BTreeMap<u8, Vec<u8>>,
    received_at: Option<UnixMillis>,
}

/// The model. Everything in it is "durable" except what a [`Flaw`] says.
pub struct IntakeModel {
    cases: Vec<Case>,
    by_report: BTreeMap<protocol::report::ReportId, usize>,
    next_sequence: BTreeMap<u16, u32>,
    flaw: Option<Flaw>,
    /// (case, medium) stored since the last restart, for `AcksBeforeDurable`.
    unflushed: Vec<(usize, u8)>,
}

impl IntakeModel {
    pub fn new(flaw: Option<Flaw>) -> Self {
        IntakeModel {
            cases: Vec::new(),
            by_report: BTreeMap::new(),
            next_sequence: BTreeMap::new(),
            flaw,
            unflushed: Vec::new(),
        }
    }

    fn status(case: &Case) -> IntakeStatus {
        IntakeStatus::new(
            case.case_number,
            case.body
                .media()
                .iter()
                .map(|medium| medium.index)
                .filter(|index| !case.media.contains_key(index)),
        )
    }

    fn create(&mut self, id: protocol::report::ReportId, body: &[u8], now: UnixMillis) -> Response {
        let Ok(body) = serde_json::from_slice::<CreateReport>(body) else {
            return Response::error(&ApiError::from(ErrorCode::Invalid));
        };
        let fingerprint = content_fingerprint(&body);
        // A known id first: a replay gets its case whatever the rules or the
        // clock say today.
        if self.flaw != Some(Flaw::CreateNotIdempotent) {
            if let Some(&at) = self.by_report.get(&id) {
                let case = &self.cases[at];
                if case.fingerprint != fingerprint {
                    return Response::intake_error(&IntakeError::Conflict);
                }
                return Response::json(200, &Self::status(case));
            }
        }
        if let Err(error) = body.check(now) {
            return Response::intake_error(&error);
        }
        let year = year_of(now);
        let sequence = self.next_sequence.entry(year).or_insert(0);
        *sequence += 1;
        let case_number = CaseNumber::new(year, *sequence).expect("fewer than a million a year");
        let mut case = Case {
            report_id: id,
            case_number,
            fingerprint,
            body,
            media: BTreeMap::new(),
            received_at: None,
        };
        if case.body.media().is_empty() {
            case.received_at = Some(now);
        }
        let status = Self::status(&case);
        self.by_report.insert(id, self.cases.len());
        self.cases.push(case);
        Response::json(201, &status)
    }

    fn medium(
        &mut self,
        id: protocol::report::ReportId,
        index: u8,
        bytes: &[u8],
        now: UnixMillis,
    ) -> Response {
        let Some(&at) = self.by_report.get(&id) else {
            return Response::error(&ApiError::from(ErrorCode::NotFound));
        };
        let case = &mut self.cases[at];
        let Some(declared) = case.body.medium(index) else {
            return Response::error(&ApiError::invalid(Vec::new()));
        };
        if self.flaw != Some(Flaw::SkipsHashCheck) {
            if let Err(error) = declared.check_bytes(bytes) {
                return Response::intake_error(&error);
            }
        }
        if let std::collections::btree_map::Entry::Vacant(slot) = case.media.entry(index) {
            slot.insert(bytes.to_vec());
            self.unflushed.push((at, index));
        }
        let status = Self::status(case);
        if status.is_complete() && case.received_at.is_none() {
            case.received_at = Some(now);
        }
        Response::json(200, &status)
    }

    fn case(&self, number: CaseNumber, receipt: Option<&str>) -> Response {
        let found = self.cases.iter().find(|case| case.case_number == number);
        let secret = receipt.and_then(|r| ReceiptSecret::parse(r).ok());
        match (found, secret) {
            (Some(case), Some(secret))
                if case.body.receipt_hash().matches(&secret) && case.received_at.is_some() =>
            {
                let events = vec![TimelineEvent {
                    at: case.received_at.expect("checked"),
                    kind: CaseEventKind::Received,
                }];
                let timeline = Timeline::new(case.case_number, events).expect("valid timeline");
                Response::json(200, &timeline)
            }
            _ => Response::error(&ApiError::from(ErrorCode::NotFound)),
        }
    }
}

impl IntakeServer for IntakeModel {
    fn handle(&mut self, request: &Request, now: UnixMillis) -> Response {
        match request {
            Request::Health => Response::json(
                200,
                &serde_json::json!({"status": "ok", "version": "model"}),
            ),
            Request::Create { id, body } => self.create(*id, body, now),
            Request::Medium { id, index, body } => self.medium(*id, *index, body, now),
            Request::Case {
                case_number,
                receipt,
            } => self.case(*case_number, receipt.as_deref()),
        }
    }

    fn restart(&mut self) {
        if self.flaw == Some(Flaw::AcksBeforeDurable) {
            for (at, index) in self.unflushed.drain(..) {
                let case = &mut self.cases[at];
                case.media.remove(&index);
                case.received_at = None;
            }
        }
        self.unflushed.clear();
    }

    fn audit(&self) -> Vec<AuditCase> {
        self.cases
            .iter()
            .map(|case| AuditCase {
                report_id: case.report_id,
                case_number: case.case_number,
                fingerprint: case.fingerprint.clone(),
                receipt_hash: case.body.receipt_hash().clone(),
                declared: case.body.media().to_vec(),
                media: case.media.clone(),
                complete: Self::status(case).is_complete(),
            })
            .collect()
    }
}

/// The year a case is numbered in: protocol's rule (China Standard Time),
/// as the real server applies it.
pub fn year_of(at: UnixMillis) -> u16 {
    u16::try_from(CaseNumber::year_at(at)).expect("a year the tests use")
}
