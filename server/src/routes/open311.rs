//! Open311 GeoReport v2 at `/open311/v2` (`protocol::open311` holds the
//! mapping; this module only reads requests and the store).
//!
//! - `GET discovery.{json,xml}`, `GET services.{fmt}`, `GET services/{code}.{fmt}`
//! - `POST requests.{fmt}` (form-encoded; `api_key` required, 403 without a
//!   valid one; [`POST_LIMITS`] per key, 429 with `Retry-After` over it):
//!   files a report exactly as a synced citizen report without media,
//!   answering its case number at once (and a token)
//! - `GET requests.{fmt}` with the spec's filters, `GET requests/{id}.{fmt}`:
//!   each case in its public form (`protocol::public::PublicCase`: no
//!   citizen's words, address, exact position, media or contact)
//! - `GET tokens/{token}.{fmt}`
//! - `GET request_updates.{fmt}` (also `servicerequestupdates.{fmt}`):
//!   every timeline event as an update, filtered by `service_request_id` or
//!   the same date window as `requests`
//!
//! Errors are the spec's list in the asked format (JSON when the path has
//! no known suffix). POSTs are not idempotent: Open311 has no request key,
//! so sending the same form twice files two cases. Names and notes are in
//! `zh-CN` or `en` (`locale` parameter, else `Accept-Language`).

use std::time::Instant;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use protocol::open311::{
    Discovery, Format, Locale, Open311Body, Open311Errors, PostForm, RequestCreated, RequestQuery,
    Resource, Service, ServiceDefinition, ServiceRequest, ServiceRequestUpdate, TokenAnswer,
    BASE_PATH, MAX_REQUESTS,
};
use protocol::public::PublicCase;
use protocol::report::{Category, ReportId};
use protocol::sync::{content_fingerprint, CaseNumber, CreateReport, ReceiptSecret};

use crate::auth::{random_bytes, token_hash};
use crate::clock;
use crate::state::AppState;
use crate::store::{NewOpen311Request, StoreError};

/// The largest `POST requests` body: a form of a few text fields.
pub const POST_BODY_LIMIT: usize = 64 * 1024;
/// `POST requests` per API key (defined beside the other limits).
pub use crate::rate_limit::OPEN311_POST_LIMITS as POST_LIMITS;

type Params = Vec<(String, String)>;

/// Everything under `/open311` (nested there by `startup::app`): the v2
/// routes, and an Open311 404 for anything else, never the app's page.
pub fn routes() -> Router<AppState> {
    let v2 = Router::new()
        .route(
            "/{resource}",
            get(collection)
                .post(post_request)
                .fallback(method_not_allowed),
        )
        .route(
            "/services/{resource}",
            get(service_definition).fallback(method_not_allowed),
        )
        .route(
            "/requests/{resource}",
            get(one_request).fallback(method_not_allowed),
        )
        .route(
            "/tokens/{resource}",
            get(token).fallback(method_not_allowed),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(POST_BODY_LIMIT));
    Router::new()
        .nest(BASE_PATH.strip_prefix("/open311").unwrap_or(BASE_PATH), v2)
        .fallback(not_found)
}

/// An Open311 answer in `format`.
fn answer(status: StatusCode, format: Format, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    response
}

fn ok(format: Format, body: &(impl Open311Body + ?Sized)) -> Response {
    answer(StatusCode::OK, format, body.render(format))
}

fn error(format: Format, errors: &Open311Errors) -> Response {
    let status = StatusCode::from_u16(errors.status()).unwrap_or(StatusCode::BAD_REQUEST);
    answer(status, format, errors.render(format))
}

fn storage_error(format: Format, source: &StoreError) -> Response {
    tracing::error!(error = %source, "open311: storage failed");
    error(
        format,
        &Open311Errors::one(500, "internal error; try again later"),
    )
}

fn not_found_in(format: Format) -> Response {
    error(format, &Open311Errors::one(404, "not found"))
}

/// An Open311 404, in the format the path's suffix names (else JSON).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let last = uri.path().rsplit('/').next().unwrap_or_default();
    let format = Resource::parse(last).map_or(Format::Json, |r| r.format);
    not_found_in(format)
}

async fn method_not_allowed(uri: axum::http::Uri) -> Response {
    let last = uri.path().rsplit('/').next().unwrap_or_default();
    let format = Resource::parse(last).map_or(Format::Json, |r| r.format);
    error(format, &Open311Errors::one(405, "method not allowed"))
}

fn locale(params: &Params, headers: &HeaderMap) -> Locale {
    let param = params
        .iter()
        .find(|(key, _)| key == "locale")
        .map(|(_, value)| value.as_str());
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    Locale::negotiate(param, accept)
}

/// The query string's pairs, or a 400.
fn params(query: Result<Query<Params>, QueryRejection>) -> Result<Params, Open311Errors> {
    query.map(|Query(params)| params).map_err(|rejection| {
        Open311Errors::one(400, format!("query string: {}", rejection.body_text()))
    })
}

/// A GET's resource (name and format) and its query, or the answer that
/// refuses them (404 without a format suffix, the spec's errors otherwise).
fn read_get(
    segment: &str,
    query: Result<Query<Params>, QueryRejection>,
) -> Result<(Resource<'_>, Params), Box<Response>> {
    let resource = Resource::parse(segment).ok_or_else(|| Box::new(not_found_in(Format::Json)))?;
    let params = params(query).map_err(|errors| Box::new(error(resource.format, &errors)))?;
    Ok((resource, params))
}

/// `GET discovery|services|requests|request_updates .{fmt}`.
async fn collection(
    State(state): State<AppState>,
    Path(segment): Path<String>,
    query: Result<Query<Params>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let (resource, params) = match read_get(&segment, query) {
        Ok(read) => read,
        Err(answer) => return *answer,
    };
    let format = resource.format;
    let locale = locale(&params, &headers);
    match resource.name {
        "discovery" => {
            let public = state.config.public_url.trim_end_matches('/');
            let discovery = Discovery::new(
                format!("{public}{BASE_PATH}"),
                format!("{public}/"),
                "Ask this server's operator for a key \
                 (greenwatch-server open311 key add --name NAME)."
                    .to_owned(),
            );
            ok(format, &discovery)
        }
        "services" => ok(format, Service::all(locale).as_slice()),
        "requests" => match find_cases(&state, &params).await {
            Ok(cases) => {
                let requests: Vec<ServiceRequest> = cases
                    .iter()
                    .map(|case| ServiceRequest::of(case, locale))
                    .collect();
                ok(format, requests.as_slice())
            }
            Err(Lookup::Bad(errors)) => error(format, &errors),
            Err(Lookup::Store(source)) => storage_error(format, &source),
        },
        "request_updates" | "servicerequestupdates" => match find_cases(&state, &params).await {
            Ok(cases) => {
                let updates: Vec<ServiceRequestUpdate> = cases
                    .iter()
                    .flat_map(|case| ServiceRequestUpdate::all_of(case, locale))
                    .collect();
                ok(format, updates.as_slice())
            }
            Err(Lookup::Bad(errors)) => error(format, &errors),
            Err(Lookup::Store(source)) => storage_error(format, &source),
        },
        _ => not_found_in(format),
    }
}

enum Lookup {
    Bad(Open311Errors),
    Store(StoreError),
}

/// The cases a `GET requests` query names, at most `MAX_REQUESTS`.
async fn find_cases(state: &AppState, params: &Params) -> Result<Vec<PublicCase>, Lookup> {
    let query = RequestQuery::parse(params, clock::now()).map_err(Lookup::Bad)?;
    let cases = match query {
        RequestQuery::Ids(numbers) => state.store.public_cases(&numbers).await,
        RequestQuery::Search(search) => state
            .store
            .public_cases_between(search.start, search.end)
            .await
            .map(|cases| {
                cases
                    .into_iter()
                    .filter(|case| search.matches(case))
                    .take(MAX_REQUESTS)
                    .collect()
            }),
    };
    cases.map_err(Lookup::Store)
}

/// `GET services/{code}.{fmt}`.
async fn service_definition(Path(segment): Path<String>) -> Response {
    let Some(resource) = Resource::parse(&segment) else {
        return not_found_in(Format::Json);
    };
    match Category::parse(resource.name) {
        Ok(category) => ok(resource.format, &ServiceDefinition::of(category)),
        Err(_) => not_found_in(resource.format),
    }
}

/// `GET requests/{service_request_id}.{fmt}`: the spec answers a list of one.
async fn one_request(
    State(state): State<AppState>,
    Path(segment): Path<String>,
    query: Result<Query<Params>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let (resource, params) = match read_get(&segment, query) {
        Ok(read) => read,
        Err(answer) => return *answer,
    };
    let format = resource.format;
    let Ok(number) = CaseNumber::parse(resource.name) else {
        return not_found_in(format);
    };
    match state.store.public_cases(&[number]).await {
        Ok(cases) if cases.is_empty() => not_found_in(format),
        Ok(cases) => {
            let locale = locale(&params, &headers);
            let requests: Vec<ServiceRequest> = cases
                .iter()
                .map(|case| ServiceRequest::of(case, locale))
                .collect();
            ok(format, requests.as_slice())
        }
        Err(source) => storage_error(format, &source),
    }
}

/// `GET tokens/{token}.{fmt}`.
async fn token(State(state): State<AppState>, Path(segment): Path<String>) -> Response {
    let Some(resource) = Resource::parse(&segment) else {
        return not_found_in(Format::Json);
    };
    match state.store.open311_token(resource.name).await {
        Ok(Some(number)) => ok(
            resource.format,
            &TokenAnswer {
                service_request_id: number.to_string(),
                token: resource.name.to_owned(),
            },
        ),
        Ok(None) => not_found_in(resource.format),
        Err(source) => storage_error(resource.format, &source),
    }
}

/// `POST requests.{fmt}`: checks the key, then the fields, then files the
/// report and answers its case number.
async fn post_request(
    State(state): State<AppState>,
    Path(segment): Path<String>,
    form: Result<Form<Params>, FormRejection>,
) -> Response {
    let Some(resource) = Resource::parse(&segment) else {
        return not_found_in(Format::Json);
    };
    let format = resource.format;
    if resource.name != "requests" {
        return error(
            format,
            &Open311Errors::one(405, "only requests accepts POST"),
        );
    }
    let pairs = match form {
        Ok(Form(pairs)) => pairs,
        Err(rejection) => {
            let status = rejection.status().as_u16();
            let message = format!(
                "the body must be application/x-www-form-urlencoded: {}",
                rejection.body_text()
            );
            return error(format, &Open311Errors::one(status, message));
        }
    };
    let form = PostForm::from_pairs(&pairs);
    let key = match form.api_key.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(secret) => match state.store.open311_key(&token_hash(secret)).await {
            Ok(key) => key,
            Err(source) => return storage_error(format, &source),
        },
    };
    let Some(key) = key else {
        return error(
            format,
            &Open311Errors::one(403, "api_key: missing or not valid"),
        );
    };
    if let Err(wait) = state.open311_posts.check(key.id.clone(), Instant::now()) {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut response = error(
            format,
            &Open311Errors::one(429, "too many requests with this api_key; try again later"),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        return response;
    }
    let (Ok(report_uuid), Ok(token_uuid), Ok(receipt)) = (
        random_bytes::<16>(),
        random_bytes::<16>(),
        random_bytes::<{ ReceiptSecret::BYTES }>(),
    ) else {
        tracing::error!("open311: the random generator failed");
        return error(
            format,
            &Open311Errors::one(500, "internal error; try again later"),
        );
    };
    let report_id = ReportId::from_uuid(uuid::Builder::from_random_bytes(report_uuid).into_uuid());
    let token = uuid::Builder::from_random_bytes(token_uuid)
        .into_uuid()
        .to_string();
    let now = clock::now();
    let new = match form.validate(report_id, now) {
        Ok(new) => new,
        Err(errors) => return error(format, &errors),
    };
    // Nobody holds this receipt: an Open311 client follows its request by
    // number through this API, not through the citizen's case page.
    let body = CreateReport::from_valid(&new.report, &ReceiptSecret::from_bytes(receipt).hash());
    let fingerprint = content_fingerprint(&body);
    let stored = state
        .store
        .create_open311_request(&NewOpen311Request {
            report_id,
            body: &body,
            fingerprint: &fingerprint,
            key_id: &key.id,
            token: &token,
            media_url: new.media_url.as_ref().map(|url| url.as_str()),
            now,
        })
        .await;
    match stored {
        Ok(number) => {
            tracing::info!(case = %number, key = %key.name, "open311: request filed");
            ok(
                format,
                &RequestCreated {
                    service_request_id: number.to_string(),
                    token,
                    service_notice: "Received; follow it with GET requests/{id}.".to_owned(),
                },
            )
        }
        Err(source) => storage_error(format, &source),
    }
}
