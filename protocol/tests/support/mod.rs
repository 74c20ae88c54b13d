//! The sync simulation around the client: HTTP-shaped requests and answers,
//! the server seen through [`IntakeServer`] (the model here; the real server
//! in `server/tests/simulation.rs`, which includes this folder), a seeded
//! random source, and the driver both simulations run.

pub mod driver;
pub mod rng;
pub mod server_model;

use std::collections::BTreeMap;

use protocol::report::{ReportId, UnixMillis};
use protocol::support::SupportId;
use protocol::sync::{CaseNumber, IntakeError, MediumDecl, ReceiptHash};
use protocol::ApiError;
use serde::Serialize;

/// One HTTP request of the sync protocol, as the app makes it.
#[derive(Debug, Clone)]
pub enum Request {
    /// `GET /api/health`
    Health,
    /// `PUT /api/v1/reports/{id}` with a JSON [`CreateReport`](protocol::sync::CreateReport).
    Create { id: ReportId, body: Vec<u8> },
    /// `PUT /api/v1/reports/{id}/media/{index}` with the medium's bytes.
    Medium {
        id: ReportId,
        index: u8,
        body: Vec<u8>,
    },
    /// `PUT /api/v1/supports/{id}` with a JSON [`CreateSupport`](protocol::support::CreateSupport).
    CreateSupport { id: SupportId, body: Vec<u8> },
    /// `PUT /api/v1/supports/{id}/media/{index}` with the medium's bytes.
    SupportMedium {
        id: SupportId,
        index: u8,
        body: Vec<u8>,
    },
    /// `GET /api/v1/cases/{case_number}` with `X-Receipt` when given.
    Case {
        case_number: CaseNumber,
        receipt: Option<String>,
    },
}

/// One HTTP answer: status, JSON body, `Retry-After` header.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
    pub retry_after: Option<String>,
}

impl Response {
    pub fn json(status: u16, body: &impl Serialize) -> Response {
        Response {
            status,
            body: serde_json::to_vec(body).expect("serialise"),
            retry_after: None,
        }
    }

    pub fn error(error: &ApiError) -> Response {
        Response::json(error.code.status(), error)
    }

    pub fn intake_error(error: &IntakeError) -> Response {
        Response::error(&error.to_api_error())
    }
}

/// One case as the server holds it, for the end-of-run checks.
#[derive(Debug, Clone)]
pub struct AuditCase {
    pub report_id: ReportId,
    pub case_number: CaseNumber,
    pub fingerprint: String,
    pub receipt_hash: ReceiptHash,
    pub declared: Vec<MediumDecl>,
    pub media: BTreeMap<u8, Vec<u8>>,
    pub complete: bool,
}

/// One support as the server holds it, for the end-of-run checks.
#[derive(Debug, Clone)]
pub struct AuditSupport {
    pub support_id: SupportId,
    /// The case it counts for.
    pub case_number: CaseNumber,
    pub fingerprint: String,
    pub receipt_hash: ReceiptHash,
    pub declared: Vec<MediumDecl>,
    pub media: BTreeMap<u8, Vec<u8>>,
    pub complete: bool,
}

/// The server as the simulation drives it.
pub trait IntakeServer {
    /// Handles one request at `now` (the server's clock).
    fn handle(&mut self, request: &Request, now: UnixMillis) -> Response;
    /// Stops and starts again from durable storage.
    fn restart(&mut self);
    /// Every case the server holds, one entry per case.
    fn audit(&self) -> Vec<AuditCase>;
    /// Every support the server holds, one entry per support.
    fn audit_supports(&self) -> Vec<AuditSupport>;
}
