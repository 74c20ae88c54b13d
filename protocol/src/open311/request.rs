//! A case as an Open311 service request, and the answers about requests.
//!
//! Every request is made from a [`PublicCase`], the one public form of a
//! case (`crate::public`): no citizen's description, address, exact
//! position, media link, contact or receipt can reach an answer, because
//! nothing here ever sees them.
//!
//! `service_request_id` is the case number; `status` is `open` until the
//! last event closes the case ([`RequestStatus::of`]); `status_notes` is
//! the public word on where it stands: the agency's reply when resolved,
//! the case it joins when a duplicate, else the status's label (a
//! rejection's reason is written for the reporter, not the public).
//! `description` is the staff's public summary, and absent without one;
//! `lat` / `long` are the centre of the report's ~200 m grid cell
//! ([`CoarsePoint`](crate::public::CoarsePoint)); there is no `address`
//! and no `media_url`. `requested_datetime` is when the server first got
//! the report, `updated_datetime` the last event's time.
//!
//! The service-request-updates extension follows mySociety's "Open311 FMS
//! Complete Spec" (github.com/mysociety/fixmystreet/wiki/Open311-FMS---Complete-Spec,
//! "GET Service Request Updates"): `update_id`, `service_request_id`,
//! `status`, `updated_datetime`, `description`, `media_url`, in XML
//! `<service_request_updates><request_update>…`. The Open311 wiki lists the
//! extension without fixing its names, so we follow the implementation
//! that documents them. Every timeline event is one update.

use serde::Serialize;

use super::body::{json, Open311Body};
use super::format::Locale;
use super::query::RequestStatus;
use super::time;
use super::xml::XmlWriter;
use crate::public::{PublicCase, PublicEvent};
use crate::sync::CaseStatus;

/// The public note of one event, in `locale`.
fn event_note(event: &PublicEvent, locale: Locale) -> String {
    match (&event.reply, event.duplicate_of) {
        (Some(reply), _) => reply.clone(),
        (None, Some(of)) => match locale {
            Locale::ZhCn => format!("{}（与 {of} 重复）", CaseStatus::Duplicate.label().zh_cn),
            Locale::En => format!("{} (duplicate of {of})", CaseStatus::Duplicate.label().en),
        },
        (None, None) => locale.pick(event.status.label()).to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRequest {
    pub service_request_id: String,
    pub status: RequestStatus,
    pub status_notes: String,
    pub service_name: &'static str,
    pub service_code: &'static str,
    /// The staff's public summary, if they wrote one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    /// The report's grid cell's centre, if it gave a position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long: Option<f64>,
}

impl ServiceRequest {
    pub fn of(case: &PublicCase, locale: Locale) -> ServiceRequest {
        let position = case.position();
        ServiceRequest {
            service_request_id: case.case_number().to_string(),
            status: RequestStatus::of(case.status()),
            status_notes: case
                .last_event()
                .map(|event| event_note(event, locale))
                .unwrap_or_else(|| locale.pick(case.status().label()).to_owned()),
            service_name: locale.pick(case.category().name()),
            service_code: case.category().code(),
            description: case.summary().map(|summary| summary.as_str().to_owned()),
            requested_datetime: time::format(case.requested_at()),
            updated_datetime: time::format(case.updated_at()),
            lat: position.map(|p| p.latitude()),
            long: position.map(|p| p.longitude()),
        }
    }
}

impl Open311Body for [ServiceRequest] {
    fn to_json(&self) -> String {
        json(self)
    }

    fn to_xml(&self) -> String {
        let mut xml = XmlWriter::new();
        xml.start("service_requests");
        for request in self {
            xml.start("request")
                .text("service_request_id", &request.service_request_id)
                .text("status", request.status.code())
                .text("status_notes", &request.status_notes)
                .text("service_name", request.service_name)
                .text("service_code", request.service_code)
                .optional("description", request.description.as_deref())
                .text("requested_datetime", &request.requested_datetime)
                .text("updated_datetime", &request.updated_datetime)
                .optional("lat", request.lat.map(|v| v.to_string()).as_deref())
                .optional("long", request.long.map(|v| v.to_string()).as_deref())
                .end();
        }
        xml.finish()
    }
}

/// The answer to `POST requests`: the case number at once, and a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestCreated {
    pub service_request_id: String,
    pub token: String,
    pub service_notice: String,
}

impl Open311Body for RequestCreated {
    fn to_json(&self) -> String {
        json(std::slice::from_ref(self))
    }

    fn to_xml(&self) -> String {
        let mut xml = XmlWriter::new();
        xml.start("service_requests")
            .start("request")
            .text("service_request_id", &self.service_request_id)
            .text("token", &self.token)
            .text("service_notice", &self.service_notice);
        xml.finish()
    }
}

/// The answer to `GET tokens/{token}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenAnswer {
    pub service_request_id: String,
    pub token: String,
}

impl Open311Body for TokenAnswer {
    fn to_json(&self) -> String {
        json(std::slice::from_ref(self))
    }

    fn to_xml(&self) -> String {
        let mut xml = XmlWriter::new();
        xml.start("service_requests")
            .start("request")
            .text("service_request_id", &self.service_request_id)
            .text("token", &self.token);
        xml.finish()
    }
}

/// One timeline event as an update (the updates extension).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRequestUpdate {
    /// The case number and the event's place in its timeline (from 1).
    pub update_id: String,
    pub service_request_id: String,
    /// The request's status once this event happened.
    pub status: RequestStatus,
    pub updated_datetime: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
}

impl ServiceRequestUpdate {
    /// Every event of the case, oldest first.
    pub fn all_of(case: &PublicCase, locale: Locale) -> Vec<ServiceRequestUpdate> {
        let number = case.case_number();
        case.events()
            .iter()
            .enumerate()
            .map(|(index, event)| ServiceRequestUpdate {
                update_id: format!("{number}-{}", index + 1),
                service_request_id: number.to_string(),
                status: RequestStatus::of(event.status),
                updated_datetime: time::format(event.at),
                description: event_note(event, locale),
                media_url: None,
            })
            .collect()
    }
}

impl Open311Body for [ServiceRequestUpdate] {
    fn to_json(&self) -> String {
        json(self)
    }

    fn to_xml(&self) -> String {
        let mut xml = XmlWriter::new();
        xml.start("service_request_updates");
        for update in self {
            xml.start("request_update")
                .text("update_id", &update.update_id)
                .text("service_request_id", &update.service_request_id)
                .text("status", update.status.code())
                .text("updated_datetime", &update.updated_datetime)
                .text("description", &update.description)
                .optional("media_url", update.media_url.as_deref())
                .end();
        }
        xml.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::public::case::tests::{assert_nothing_private, record};
    use crate::public::{CaseRecord, PublicSummary};
    use crate::sync::{CaseEventKind, CaseNumber};

    fn case(events: Vec<(i64, CaseEventKind)>) -> PublicCase {
        PublicCase::of(&record(events, true))
    }

    #[test]
    fn an_open_case_carries_its_label_and_a_closed_one_the_reply() {
        let open = ServiceRequest::of(&case(vec![(0, CaseEventKind::Received)]), Locale::En);
        assert_eq!(open.status, RequestStatus::Open);
        assert_eq!(open.status_notes, "Received");
        assert_eq!(open.service_request_id, "GW-2026-000012");
        assert_eq!(open.requested_datetime, "2025-12-31T23:59:59Z");
        assert_eq!(open.updated_datetime, "2026-01-01T00:00:00Z");
        assert_eq!((open.lat, open.long), (Some(30.513), Some(114.387)));
        assert_eq!(open.description, None);

        let resolved = case(vec![
            (0, CaseEventKind::Received),
            (100_000, CaseEventKind::Accepted),
            (
                200_000,
                CaseEventKind::Resolved {
                    reply: "Work stopped at 22:00.".to_owned(),
                },
            ),
        ]);
        let closed = ServiceRequest::of(&resolved, Locale::En);
        assert_eq!(closed.status, RequestStatus::Closed);
        assert_eq!(closed.status_notes, "Work stopped at 22:00.");
        assert_eq!(closed.updated_datetime, "2026-01-01T00:03:20Z");

        let duplicate = case(vec![
            (0, CaseEventKind::Received),
            (
                300_000,
                CaseEventKind::Duplicate {
                    of: CaseNumber::new(2026, 3).unwrap(),
                    reason: "Same site as MARKER".to_owned(),
                },
            ),
        ]);
        let notes = ServiceRequest::of(&duplicate, Locale::En).status_notes;
        assert_eq!(notes, "Duplicate (duplicate of GW-2026-000003)");
        let rejected = case(vec![
            (0, CaseEventKind::Received),
            (
                300_000,
                CaseEventKind::Rejected {
                    reason: "MARKER: the caller's own factory".to_owned(),
                },
            ),
        ]);
        let notes = ServiceRequest::of(&rejected, Locale::ZhCn).status_notes;
        assert_eq!(notes, "不予受理");
    }

    #[test]
    fn neither_format_carries_anything_private() {
        let public = PublicCase::of(&CaseRecord {
            public_summary: Some(PublicSummary::parse("夜间 <施工> & 噪声").unwrap()),
            ..record(vec![(0, CaseEventKind::Received)], true)
        });
        let requests = [ServiceRequest::of(&public, Locale::ZhCn)];
        let xml = requests.to_xml();
        let json = requests.to_json();
        for text in [&xml, &json] {
            assert_nothing_private(text);
            assert!(
                !text.contains("address") && !text.contains("media_url"),
                "{text}"
            );
        }
        assert!(xml.contains("<description>夜间 &lt;施工&gt; &amp; 噪声</description>"));
        assert!(xml.contains("<status>open</status><status_notes>已收到</status_notes>"));
        assert!(xml.contains("<lat>30.513</lat><long>114.387</long>"));
        let updates = ServiceRequestUpdate::all_of(&public, Locale::En);
        assert_nothing_private(&updates.to_json());
        assert_nothing_private(&updates.to_xml());
        // Without a summary, no description at all.
        let bare = [ServiceRequest::of(
            &case(vec![(0, CaseEventKind::Received)]),
            Locale::En,
        )];
        assert!(!bare.to_xml().contains("description") && !bare.to_json().contains("description"));
    }

    #[test]
    fn every_event_is_one_update_with_the_status_it_gave() {
        let view = case(vec![
            (0, CaseEventKind::Received),
            (
                500_000,
                CaseEventKind::Rejected {
                    reason: "Not our area".to_owned(),
                },
            ),
        ]);
        let updates = ServiceRequestUpdate::all_of(&view, Locale::En);
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[1].update_id, "GW-2026-000012-2");
        assert_eq!(updates[0].status, RequestStatus::Open);
        assert_eq!(updates[1].status, RequestStatus::Closed);
        assert_eq!(updates[1].description, "Rejected");
    }
}
