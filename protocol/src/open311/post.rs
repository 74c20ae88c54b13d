//! `POST requests`: the form-encoded fields of the spec, checked by the
//! same [`ReportDraft::validate`] the app runs, so an Open311 request
//! becomes exactly the report a citizen could have sent.
//!
//! Mapping: `service_code` → category; `lat` + `long` → position (both or
//! neither; Open311 sends no accuracy, so [`ASSUMED_ACCURACY_M`] is
//! recorded); `address_string` → address (at least one of position and
//! address); `description` → description; `first_name` + `last_name` →
//! name, `phone` → phone (optional, the app's rules). `email`, `device_id`,
//! `account_id`, `address_id` and `attribute[…]` are accepted and not
//! kept (a report has no such fields). `media_url` is kept as a link
//! ([`MediaUrl`]); no bytes are fetched. The time seen is the time of the
//! request. `api_key` is the route's business, not this module's.

use thiserror::Error;

use super::error::Open311Errors;
use crate::report::Category;
use crate::report::{Field, FieldErrors, GeoPoint, ReportDraft, ReportId, UnixMillis, ValidReport};

/// The accuracy radius recorded for a position given by Open311, which has
/// no such field: 100 m, a street-level guess.
pub const ASSUMED_ACCURACY_M: f64 = 100.0;
/// The longest `media_url` kept.
pub const MAX_MEDIA_URL_CHARS: usize = 2048;

/// The fields of a `POST requests` body, as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostForm {
    pub api_key: Option<String>,
    pub service_code: Option<String>,
    pub lat: Option<String>,
    pub long: Option<String>,
    pub address_string: Option<String>,
    pub description: Option<String>,
    pub media_url: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
}

impl PostForm {
    /// The first value of each known field; others are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> PostForm {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        PostForm {
            api_key: get("api_key"),
            service_code: get("service_code"),
            lat: get("lat"),
            long: get("long"),
            address_string: get("address_string"),
            description: get("description"),
            media_url: get("media_url"),
            first_name: get("first_name"),
            last_name: get("last_name"),
            phone: get("phone"),
        }
    }

    /// The report this request files as `id` at `now`, or every problem
    /// (400, one error per field).
    pub fn validate(
        &self,
        id: ReportId,
        now: UnixMillis,
    ) -> Result<NewServiceRequest, Open311Errors> {
        let mut errors = Vec::new();
        let mut draft = ReportDraft::new(id, now);
        match self.service_code.as_deref().map(str::trim) {
            None | Some("") => errors.push("service_code: required".to_owned()),
            Some(code) => match Category::parse(code) {
                Ok(category) => draft.category = Some(category),
                Err(_) => errors.push(format!(
                    "service_code: {code:?} is not one of our services (see services.json)"
                )),
            },
        }
        let lat = blank_to_none(self.lat.as_deref());
        let long = blank_to_none(self.long.as_deref());
        match (lat, long) {
            (None, None) => {}
            (Some(lat), Some(long)) => match (lat.parse::<f64>(), long.parse::<f64>()) {
                (Ok(lat), Ok(long)) => match GeoPoint::parse(lat, long, ASSUMED_ACCURACY_M) {
                    Ok(point) => draft.point = Some(point),
                    Err(error) => errors.push(format!("lat/long: {error}")),
                },
                _ => errors.push("lat/long: not decimal degrees".to_owned()),
            },
            _ => errors.push("lat/long: give both or neither".to_owned()),
        }
        draft.address = self.address_string.clone().unwrap_or_default();
        draft.description = self.description.clone().unwrap_or_default();
        draft.name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        draft.phone = self.phone.clone().unwrap_or_default();
        let media_url = match blank_to_none(self.media_url.as_deref()) {
            None => None,
            Some(raw) => match MediaUrl::parse(raw) {
                Ok(url) => Some(url),
                Err(error) => {
                    errors.push(format!("media_url: {error}"));
                    None
                }
            },
        };
        match draft.validate(now) {
            Ok(report) if errors.is_empty() => Ok(NewServiceRequest { report, media_url }),
            Ok(_) => Err(Open311Errors::many(400, errors)),
            Err(field_errors) => {
                errors.extend(describe(&field_errors, &draft));
                Err(Open311Errors::many(400, errors))
            }
        }
    }
}

fn blank_to_none(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|value| !value.is_empty())
}

/// The validator's errors under the Open311 field names; a missing
/// category was already reported by its code.
fn describe(errors: &FieldErrors, draft: &ReportDraft) -> Vec<String> {
    errors
        .iter()
        .filter(|error| !(error.field == Field::Category && draft.category.is_none()))
        .map(|error| {
            let field = match error.field {
                Field::Category => "service_code",
                Field::Description => "description",
                Field::Location => "lat/long or address_string",
                Field::Name => "first_name/last_name",
                Field::Phone => "phone",
                Field::Photos | Field::VoiceClips => "media",
                Field::SeenAt => "requested_datetime",
                // A report's validator never names a quiz result's fields.
                Field::QuizEventId
                | Field::QuizEventName
                | Field::QuizPack
                | Field::QuizCorrect
                | Field::QuizTotal
                | Field::QuizMissed
                | Field::QuizFinishedAt
                | Field::QuizMode => "request",
            };
            format!("{field}: {}", error.message.en)
        })
        .collect()
}

/// A checked request, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewServiceRequest {
    pub report: ValidReport,
    pub media_url: Option<MediaUrl>,
}

/// A link to media kept with a request: an absolute `http` or `https` URL
/// with a host, at most [`MAX_MEDIA_URL_CHARS`], no spaces or control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaUrl(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MediaUrlError {
    #[error("not an http or https URL")]
    Scheme,
    #[error("the URL has no host")]
    NoHost,
    #[error("longer than {MAX_MEDIA_URL_CHARS} characters")]
    TooLong,
    #[error("spaces or control characters are not allowed in a URL")]
    BadCharacter,
}

impl MediaUrl {
    pub fn parse(raw: &str) -> Result<MediaUrl, MediaUrlError> {
        let raw = raw.trim();
        if raw.chars().count() > MAX_MEDIA_URL_CHARS {
            return Err(MediaUrlError::TooLong);
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(MediaUrlError::BadCharacter);
        }
        let lower = raw.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .ok_or(MediaUrlError::Scheme)?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        if host.is_empty() || host.starts_with(':') {
            return Err(MediaUrlError::NoHost);
        }
        Ok(MediaUrl(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixMillis = UnixMillis(1_800_000_000_000);

    fn id() -> ReportId {
        ReportId::from_uuid(uuid::Uuid::from_u128(7))
    }

    fn form() -> PostForm {
        PostForm {
            service_code: Some("air".to_owned()),
            lat: Some("31.2304".to_owned()),
            long: Some("121.4737".to_owned()),
            description: Some("Black smoke from the chimney every night".to_owned()),
            ..PostForm::default()
        }
    }

    #[test]
    fn a_good_request_becomes_a_valid_report() {
        let mut form = form();
        form.first_name = Some("Li".to_owned());
        form.last_name = Some("Wei".to_owned());
        form.media_url = Some("https://example.org/smoke.jpg".to_owned());
        let new = form.validate(id(), NOW).unwrap();
        assert_eq!(new.report.category(), Category::Air);
        let point = new.report.location().point().unwrap();
        assert_eq!((point.latitude(), point.longitude()), (31.2304, 121.4737));
        assert_eq!(
            new.report.contact().name.as_ref().unwrap().as_str(),
            "Li Wei"
        );
        assert_eq!(new.report.seen_at().value(), NOW);
        assert_eq!(
            new.media_url.unwrap().as_str(),
            "https://example.org/smoke.jpg"
        );
    }

    #[test]
    fn an_address_alone_is_a_location() {
        let mut form = form();
        form.lat = None;
        form.long = None;
        form.address_string = Some("No. 5 Riverside Road".to_owned());
        let new = form.validate(id(), NOW).unwrap();
        assert!(new.report.location().point().is_none());
    }

    #[test]
    fn every_bad_field_is_reported_under_its_open311_name() {
        let form = PostForm {
            service_code: Some("potholes".to_owned()),
            lat: Some("91".to_owned()),
            long: Some("10".to_owned()),
            description: Some("bad".to_owned()),
            media_url: Some("ftp://x/y".to_owned()),
            phone: Some("call me".to_owned()),
            ..PostForm::default()
        };
        let errors = form.validate(id(), NOW).unwrap_err();
        let text: Vec<&str> = errors
            .errors()
            .iter()
            .map(|e| e.description.as_str())
            .collect();
        assert_eq!(errors.status(), 400);
        assert!(
            text.iter().any(|t| t.starts_with("service_code:")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.starts_with("lat/long:")), "{text:?}");
        assert!(text.iter().any(|t| t.starts_with("media_url:")), "{text:?}");
        assert!(
            text.iter().any(|t| t.starts_with("description:")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.starts_with("phone:")), "{text:?}");
        assert!(
            text.iter()
                .any(|t| t.starts_with("lat/long or address_string:")),
            "{text:?}"
        );
    }

    #[test]
    fn half_a_position_or_none_at_all_is_refused() {
        let mut half = form();
        half.long = None;
        assert!(half.validate(id(), NOW).is_err());
        let mut nothing = form();
        nothing.lat = None;
        nothing.long = None;
        let errors = nothing.validate(id(), NOW).unwrap_err();
        assert!(errors.errors()[0]
            .description
            .starts_with("lat/long or address_string"));
        let mut missing_code = form();
        missing_code.service_code = None;
        let errors = missing_code.validate(id(), NOW).unwrap_err();
        assert_eq!(errors.errors().len(), 1);
        assert_eq!(errors.errors()[0].description, "service_code: required");
    }

    #[test]
    fn media_urls_must_be_web_links() {
        assert!(MediaUrl::parse("http://example.org/a.png").is_ok());
        assert!(MediaUrl::parse("HTTPS://Example.org").is_ok());
        assert_eq!(
            MediaUrl::parse("javascript:alert(1)"),
            Err(MediaUrlError::Scheme)
        );
        assert_eq!(MediaUrl::parse("https:///path"), Err(MediaUrlError::NoHost));
        assert_eq!(
            MediaUrl::parse("https://a b"),
            Err(MediaUrlError::BadCharacter)
        );
        let long = format!("https://example.org/{}", "a".repeat(MAX_MEDIA_URL_CHARS));
        assert_eq!(MediaUrl::parse(&long), Err(MediaUrlError::TooLong));
    }

    #[test]
    fn form_pairs_take_the_first_value_and_ignore_the_rest() {
        let pairs = vec![
            ("api_key".to_owned(), "k".to_owned()),
            ("attribute[x]".to_owned(), "y".to_owned()),
            ("api_key".to_owned(), "second".to_owned()),
        ];
        let form = PostForm::from_pairs(&pairs);
        assert_eq!(form.api_key.as_deref(), Some("k"));
    }
}
