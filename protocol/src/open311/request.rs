//! A case as an Open311 service request, and the answers about requests.
//!
//! `service_request_id` is the case number; `status` is `open` until the
//! last event closes the case ([`RequestStatus::of`]); `status_notes` is
//! the public word on where it stands: the agency's reply when resolved,
//! the reason when rejected or a duplicate (with the case it joins), else
//! the status's label. `requested_datetime` is when the server first got
//! the report, `updated_datetime` the last event's time. A [`CaseView`]
//! holds no contact detail and no receipt, so no answer can carry one.
//!
//! The service-request-updates extension follows mySociety's "Open311 FMS
//! Complete Spec" (github.com/mysociety/fixmystreet/wiki/Open311-FMS---Complete-Spec,
//! "GET Service Request Updates"): `update_id`, `service_request_id`,
//! `status`, `updated_datetime`, `description`, `media_url`, in XML
//! `<service_request_updates><request_update>…`. The Open311 wiki lists the
//! extension without fixing its names, so we follow the implementation
//! that documents them. Every timeline event is one update.

use serde::Serialize;

use super::format::Locale;
use super::query::RequestStatus;
use super::time;
use super::xml::XmlWriter;
use super::{json, Open311Body};
use crate::report::{Category, Description, Location, UnixMillis};
use crate::sync::{CaseEventKind, Timeline, TimelineEvent};

/// What the mapping reads of one complete case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseView {
    pub timeline: Timeline,
    pub category: Category,
    pub description: Description,
    pub location: Location,
    /// When the server first got the report.
    pub requested_at: UnixMillis,
    /// The link given with an Open311 request, if any.
    pub media_url: Option<String>,
}

impl CaseView {
    pub fn status(&self) -> RequestStatus {
        RequestStatus::of(self.timeline.status())
    }
}

/// The public note of one event, in `locale`.
fn event_note(event: &TimelineEvent, locale: Locale) -> String {
    match &event.kind {
        CaseEventKind::Resolved { reply } => reply.clone(),
        CaseEventKind::Rejected { reason } => reason.clone(),
        CaseEventKind::Duplicate { of, reason } => match locale {
            Locale::ZhCn => format!("{reason}（与 {of} 重复）"),
            Locale::En => format!("{reason} (duplicate of {of})"),
        },
        kind => locale.pick(kind.status().label()).to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRequest {
    pub service_request_id: String,
    pub status: RequestStatus,
    pub status_notes: String,
    pub service_name: &'static str,
    pub service_code: &'static str,
    pub description: String,
    pub requested_datetime: String,
    pub updated_datetime: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
}

impl ServiceRequest {
    pub fn of(case: &CaseView, locale: Locale) -> ServiceRequest {
        let last = case.timeline.last();
        let point = case.location.point();
        ServiceRequest {
            service_request_id: case.timeline.case_number().to_string(),
            status: case.status(),
            status_notes: event_note(last, locale),
            service_name: locale.pick(case.category.name()),
            service_code: case.category.code(),
            description: case.description.as_str().to_owned(),
            requested_datetime: time::format(case.requested_at),
            updated_datetime: time::format(last.at),
            address: case.location.address().map(|a| a.as_str().to_owned()),
            lat: point.map(|p| p.latitude()),
            long: point.map(|p| p.longitude()),
            media_url: case.media_url.clone(),
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
                .text("description", &request.description)
                .text("requested_datetime", &request.requested_datetime)
                .text("updated_datetime", &request.updated_datetime)
                .optional("address", request.address.as_deref())
                .optional("lat", request.lat.map(|v| v.to_string()).as_deref())
                .optional("long", request.long.map(|v| v.to_string()).as_deref())
                .optional("media_url", request.media_url.as_deref())
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
    pub fn all_of(case: &CaseView, locale: Locale) -> Vec<ServiceRequestUpdate> {
        let number = case.timeline.case_number();
        case.timeline
            .events()
            .iter()
            .enumerate()
            .map(|(index, event)| ServiceRequestUpdate {
                update_id: format!("{number}-{}", index + 1),
                service_request_id: number.to_string(),
                status: RequestStatus::of(event.kind.status()),
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
    use crate::report::{Address, GeoPoint};
    use crate::sync::CaseNumber;

    fn case(events: Vec<TimelineEvent>) -> CaseView {
        let number = CaseNumber::new(2026, 7).unwrap();
        CaseView {
            timeline: Timeline::new(number, events).unwrap(),
            category: Category::Noise,
            description: Description::parse("Loud night work & <drilling>").unwrap(),
            location: Location::new(
                Some(GeoPoint::parse(31.23, 121.47, 100.0).unwrap()),
                Some(Address::parse("Nanjing Rd 1").unwrap()),
            )
            .unwrap(),
            requested_at: UnixMillis(1_700_000_000_000),
            media_url: Some("https://example.org/a.jpg".to_owned()),
        }
    }

    fn at(ms: i64, kind: CaseEventKind) -> TimelineEvent {
        TimelineEvent {
            at: UnixMillis(ms),
            kind,
        }
    }

    #[test]
    fn an_open_case_carries_its_label_and_a_closed_one_the_reply() {
        let received = at(1_700_000_000_000, CaseEventKind::Received);
        let open = ServiceRequest::of(&case(vec![received.clone()]), Locale::En);
        assert_eq!(open.status, RequestStatus::Open);
        assert_eq!(open.status_notes, "Received");
        assert_eq!(open.service_request_id, "GW-2026-000007");
        assert_eq!(open.requested_datetime, "2023-11-14T22:13:20Z");
        assert_eq!(open.lat, Some(31.23));

        let resolved = case(vec![
            received.clone(),
            at(1_700_000_100_000, CaseEventKind::Accepted),
            at(
                1_700_000_200_000,
                CaseEventKind::Resolved {
                    reply: "Work stopped at 22:00.".to_owned(),
                },
            ),
        ]);
        let closed = ServiceRequest::of(&resolved, Locale::En);
        assert_eq!(closed.status, RequestStatus::Closed);
        assert_eq!(closed.status_notes, "Work stopped at 22:00.");
        assert_eq!(closed.updated_datetime, "2023-11-14T22:16:40Z");

        let duplicate = case(vec![
            received,
            at(
                1_700_000_300_000,
                CaseEventKind::Duplicate {
                    of: CaseNumber::new(2026, 3).unwrap(),
                    reason: "Same site".to_owned(),
                },
            ),
        ]);
        let notes = ServiceRequest::of(&duplicate, Locale::En).status_notes;
        assert_eq!(notes, "Same site (duplicate of GW-2026-000003)");
    }

    #[test]
    fn xml_escapes_what_people_wrote() {
        let view = case(vec![at(1_700_000_000_000, CaseEventKind::Received)]);
        let xml = [ServiceRequest::of(&view, Locale::ZhCn)].to_xml();
        assert!(xml.contains("<description>Loud night work &amp; &lt;drilling&gt;</description>"));
        assert!(xml.contains("<status>open</status><status_notes>已收到</status_notes>"));
        assert!(xml.contains("<lat>31.23</lat><long>121.47</long>"));
    }

    #[test]
    fn every_event_is_one_update_with_the_status_it_gave() {
        let view = case(vec![
            at(1_700_000_000_000, CaseEventKind::Received),
            at(
                1_700_000_500_000,
                CaseEventKind::Rejected {
                    reason: "Not our area".to_owned(),
                },
            ),
        ]);
        let updates = ServiceRequestUpdate::all_of(&view, Locale::En);
        assert_eq!(updates.len(), 2);
        assert_eq!(updates[1].update_id, "GW-2026-000007-2");
        assert_eq!(updates[0].status, RequestStatus::Open);
        assert_eq!(updates[1].status, RequestStatus::Closed);
        assert_eq!(updates[1].description, "Not our area");
    }
}
