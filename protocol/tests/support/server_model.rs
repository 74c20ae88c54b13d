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
//! - `PUT /api/v1/supports/{id}` and `…/media/{index}`: the same rules for
//!   a support (by [`support_fingerprint`]; [`CreateSupport::check`] for a
//!   new id), and a support of a case the server does not hold as complete
//!   is 422. The support is complete when its last medium arrives.
//! - `GET /api/v1/cases/{case}` with `X-Receipt`: the timeline when the case
//!   exists, is complete and the receipt is its report's or a complete
//!   support's of it; otherwise the same 404.
//! - Everything is durable before it is answered: a restart loses nothing
//!   that was acknowledged.

use std::collections::BTreeMap;

use protocol::report::UnixMillis;
use protocol::support::{support_fingerprint, unknown_case_error, CreateSupport, SupportId};
use protocol::sync::{
    content_fingerprint, CaseEventKind, CaseNumber, CreateReport, IntakeError, IntakeStatus,
    ReceiptSecret, Timeline, TimelineEvent,
};
use protocol::{ApiError, ErrorCode};

use super::{AuditCase, AuditSupport, IntakeServer, Request, Response};

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

struct Support {
    case_at: usize,
    fingerprint: String,
    body: CreateSupport,
    media: BTreeMap<u8, Vec<u8>>,
}

impl Support {
    fn missing(&self) -> impl Iterator<Item = u8> + '_ {
        self.body
            .media()
            .iter()
            .map(|medium| medium.index)
            .filter(|index| !self.media.contains_key(index))
    }
}

/// The model. Everything in it is "durable" except what a [`Flaw`] says.
pub struct IntakeModel {
    cases: Vec<Case>,
    supports: BTreeMap<SupportId, Support>,
    by_report: BTreeMap<protocol::report::ReportId, usize>,
    next_sequence: BTreeMap<u16, u32>,
    flaw: Option<Flaw>,
    /// (case, medium) stored since the last restart, for `AcksBeforeDurable`.
    unflushed: Vec<(usize, u8)>,
    /// (support, medium) likewise.
    unflushed_supports: Vec<(SupportId, u8)>,
}

impl IntakeModel {
    pub fn new(flaw: Option<Flaw>) -> Self {
        IntakeModel {
            cases: Vec::new(),
            supports: BTreeMap::new(),
            by_report: BTreeMap::new(),
            next_sequence: BTreeMap::new(),
            flaw,
            unflushed: Vec::new(),
            unflushed_supports: Vec::new(),
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

    fn support_status(&self, support: &Support) -> IntakeStatus {
        IntakeStatus::new(self.cases[support.case_at].case_number, support.missing())
    }

    fn create_support(&mut self, id: SupportId, body: &[u8]) -> Response {
        let Ok(body) = serde_json::from_slice::<CreateSupport>(body) else {
            return Response::error(&ApiError::from(ErrorCode::Invalid));
        };
        let fingerprint = support_fingerprint(&body);
        if let Some(support) = self.supports.get(&id) {
            if support.fingerprint != fingerprint {
                return Response::intake_error(&IntakeError::Conflict);
            }
            return Response::json(200, &self.support_status(support));
        }
        if let Err(error) = body.check() {
            return Response::intake_error(&error);
        }
        let Some(case_at) = self
            .cases
            .iter()
            .position(|case| case.case_number == body.case_number() && case.received_at.is_some())
        else {
            return Response::error(&unknown_case_error());
        };
        let support = Support {
            case_at,
            fingerprint,
            body,
            media: BTreeMap::new(),
        };
        let status = self.support_status(&support);
        self.supports.insert(id, support);
        Response::json(201, &status)
    }

    fn support_medium(&mut self, id: SupportId, index: u8, bytes: &[u8]) -> Response {
        let Some(support) = self.supports.get_mut(&id) else {
            return Response::error(&ApiError::from(ErrorCode::NotFound));
        };
        let Some(declared) = support.body.medium(index) else {
            return Response::error(&ApiError::invalid(Vec::new()));
        };
        if self.flaw != Some(Flaw::SkipsHashCheck) {
            if let Err(error) = declared.check_bytes(bytes) {
                return Response::intake_error(&error);
            }
        }
        if let std::collections::btree_map::Entry::Vacant(slot) = support.media.entry(index) {
            slot.insert(bytes.to_vec());
            self.unflushed_supports.push((id, index));
        }
        let support = &self.supports[&id];
        Response::json(200, &self.support_status(support))
    }

    fn case(&self, number: CaseNumber, receipt: Option<&str>) -> Response {
        let found = self
            .cases
            .iter()
            .enumerate()
            .find(|(_, case)| case.case_number == number);
        let secret = receipt.and_then(|r| ReceiptSecret::parse(r).ok());
        let follows = |at: usize, case: &Case, secret: &ReceiptSecret| {
            case.body.receipt_hash().matches(secret)
                || self.supports.values().any(|support| {
                    support.case_at == at
                        && support.missing().next().is_none()
                        && support.body.receipt_hash().matches(secret)
                })
        };
        match (found, secret) {
            (Some((at, case)), Some(secret))
                if follows(at, case, &secret) && case.received_at.is_some() =>
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
            Request::CreateSupport { id, body } => self.create_support(*id, body),
            Request::SupportMedium { id, index, body } => self.support_medium(*id, *index, body),
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
        for (id, index) in self.unflushed_supports.drain(..) {
            if self.flaw == Some(Flaw::AcksBeforeDurable) {
                if let Some(support) = self.supports.get_mut(&id) {
                    support.media.remove(&index);
                }
            }
        }
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

    fn audit_supports(&self) -> Vec<AuditSupport> {
        self.supports
            .iter()
            .map(|(id, support)| self.audit_support(*id, support))
            .collect()
    }
}

impl IntakeModel {
    fn audit_support(&self, id: SupportId, support: &Support) -> AuditSupport {
        AuditSupport {
            support_id: id,
            case_number: self.cases[support.case_at].case_number,
            fingerprint: support.fingerprint.clone(),
            receipt_hash: support.body.receipt_hash().clone(),
            declared: support.body.media().to_vec(),
            media: support.media.clone(),
            complete: support.missing().next().is_none(),
        }
    }
}

/// The year a case is numbered in: protocol's rule (China Standard Time),
/// as the real server applies it.
pub fn year_of(at: UnixMillis) -> u16 {
    u16::try_from(CaseNumber::year_at(at)).expect("a year the tests use")
}
