//! `/api/v1/staff/`: case handling for the bureau's staff.
//!
//! Rewards (the communication subsidy): who may take each step is
//! `protocol::staff::RewardStep::role` (any staff member proposes;
//! administrators approve, reject and record the payment), checked by
//! `reward_step` against the session's role: 403 when it says no.
//! Accounts: administrators list, create, disable and enable them.
//!
//! Every handler but `login` takes a [`StaffSession`] (any role) or an
//! [`AdminSession`] as its first argument, so it runs only for a valid
//! session of the right role (401 / 403 otherwise, before the path or body
//! is looked at). Every action writes its audit row in the same
//! transaction (`store/staff.rs`).

use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use protocol::public::PublicSummary;
use protocol::report::UnixMillis;
use protocol::staff::{
    reply_templates, AcceptBody, AuditEntry, AuditQuery, CaseAction, CaseDetail, CaseFilter,
    CaseSummary, DuplicateBody, LoginRequest, NewStaffUser, ProposeReward, PublicSummaryBody,
    RejectBody, ReplyTemplate, ResolveBody, RewardError, RewardStep, StaffAccount, StaffMe,
    StaffReward, Username, ACCEPT_ROUTE, AUDIT_ROUTE, CASES_ROUTE, CASE_MEDIUM_ROUTE, CASE_ROUTE,
    DUPLICATE_ROUTE, LOGIN_ROUTE, LOGOUT_ROUTE, ME_ROUTE, ON_SITE_ROUTE, PUBLIC_SUMMARY_ROUTE,
    REJECT_ROUTE, REPLY_TEMPLATES_ROUTE, RESOLVE_ROUTE, REWARD_APPROVE_ROUTE, REWARD_PAID_ROUTE,
    REWARD_REJECT_ROUTE, REWARD_ROUTE, SUPPORT_MEDIUM_ROUTE, USERS_ROUTE, USER_DISABLE_ROUTE,
    USER_ENABLE_ROUTE,
};
use protocol::support::SupportId;
use protocol::sync::{CaseNumber, Timeline};
use protocol::LocalizedText;

use super::api_base::{method_not_allowed, under_api};
use crate::auth::{
    cleared_cookie, dummy_hash, hash_password, new_session_token, session_cookie, token_hash,
    verify_password, AdminSession, StaffSession, SESSION_LIFETIME,
};
use crate::client_addr::ClientIp;
use crate::clock;
use crate::error::AppError;
use crate::extract::{ApiBytes, ApiJson, ApiPath, ApiQuery};
use crate::rate_limit::LoginLimiter;
use crate::state::AppState;
use crate::store::{
    AccountOutcome, ActionOutcome, AuditActor, NewUserOutcome, RewardOutcome, StoreError,
    SummaryOutcome,
};

/// The largest staff request body: a 2000-character reply fits with room.
pub const STAFF_BODY_LIMIT: usize = 16 * 1024;

/// The staff routes, relative to `/api`.
pub fn routes() -> Router<AppState> {
    let route = |path: &'static str, method: axum::routing::MethodRouter<AppState>| {
        (under_api(path), method.fallback(method_not_allowed))
    };
    [
        route(LOGIN_ROUTE, post(login)),
        route(LOGOUT_ROUTE, post(logout)),
        route(ME_ROUTE, get(me)),
        route(USERS_ROUTE, get(users).post(create_user)),
        route(USER_DISABLE_ROUTE, post(disable_user)),
        route(USER_ENABLE_ROUTE, post(enable_user)),
        route(AUDIT_ROUTE, get(audit)),
        route(CASES_ROUTE, get(cases)),
        route(CASE_ROUTE, get(case)),
        route(CASE_MEDIUM_ROUTE, get(medium)),
        route(SUPPORT_MEDIUM_ROUTE, get(support_medium)),
        route(PUBLIC_SUMMARY_ROUTE, post(public_summary)),
        route(ACCEPT_ROUTE, post(accept)),
        route(ON_SITE_ROUTE, post(on_site)),
        route(RESOLVE_ROUTE, post(resolve)),
        route(REJECT_ROUTE, post(reject)),
        route(DUPLICATE_ROUTE, post(duplicate)),
        route(REPLY_TEMPLATES_ROUTE, get(templates)),
        route(REWARD_ROUTE, post(propose_reward)),
        route(REWARD_APPROVE_ROUTE, post(approve_reward)),
        route(REWARD_REJECT_ROUTE, post(reject_reward)),
        route(REWARD_PAID_ROUTE, post(reward_paid)),
    ]
    .into_iter()
    .fold(Router::new(), |router, (path, method)| {
        router.route(path, method)
    })
    .layer(DefaultBodyLimit::max(STAFF_BODY_LIMIT))
}

fn blocking_failed(error: tokio::task::JoinError) -> AppError {
    AppError::Storage(StoreError::Corrupt(format!("password task: {error}")))
}

fn password_failed(error: crate::auth::PasswordError) -> AppError {
    AppError::Storage(StoreError::Corrupt(error.to_string()))
}

/// `POST /api/v1/staff/login`: 200 with who signed in and the session
/// cookie; 401 for an unknown name or a wrong password alike (both verify
/// an Argon2id hash); 429 after 5 failures in 15 minutes for the name or
/// the client.
#[tracing::instrument(name = "staff_login", skip(state, request), fields(username = %request.username))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    let keys = LoginLimiter::keys(&request.username, client);
    state
        .logins
        .check(&keys)
        .await
        .map_err(AppError::LoginRateLimited)?;
    let credentials = match Username::parse(&request.username) {
        Ok(username) => state.store.staff_credentials(&username).await?,
        Err(_) => None,
    };
    let hash = credentials
        .as_ref()
        .map_or_else(|| dummy_hash().to_owned(), |c| c.password_hash.clone());
    let password = request.password.clone();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(blocking_failed)?;
    let now = clock::now();
    let user = match credentials {
        Some(credentials) if matches => credentials.user,
        other => {
            state.logins.record_failure(&keys).await;
            let user_id = other.map(|c| c.user.id);
            state
                .store
                .record_failed_login(&request.username, user_id, now)
                .await?;
            tracing::info!("failed staff login");
            return Err(AppError::BadCredentials);
        }
    };
    state.logins.clear(&keys[0]).await;
    let token = new_session_token().map_err(password_failed)?;
    let lifetime = i64::try_from(SESSION_LIFETIME.as_millis()).unwrap_or(i64::MAX);
    state
        .store
        .start_session(
            &user,
            &token_hash(&token),
            now,
            UnixMillis(now.0.saturating_add(lifetime)),
        )
        .await?;
    tracing::info!(role = user.role.code(), "staff signed in");
    let cookie = session_cookie(&token, state.config.secure_cookies());
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(StaffMe {
            username: user.username,
            role: user.role,
        }),
    )
        .into_response())
}

/// `POST /api/v1/staff/logout`: 204, the session deleted and the cookie
/// cleared.
#[tracing::instrument(name = "staff_logout", skip_all)]
pub async fn logout(
    State(state): State<AppState>,
    session: StaffSession,
) -> Result<Response, AppError> {
    state
        .store
        .end_session(&session.user, &session.token_hash, clock::now())
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            cleared_cookie(state.config.secure_cookies()),
        )],
    )
        .into_response())
}

/// `GET /api/v1/staff/me`.
#[tracing::instrument(name = "staff_me", skip_all)]
pub async fn me(session: StaffSession) -> Json<StaffMe> {
    Json(StaffMe {
        username: session.user.username,
        role: session.user.role,
    })
}

/// `POST /api/v1/staff/users` (administrators): 201 with the new account;
/// 409 if the name is taken.
#[tracing::instrument(name = "staff_create_user", skip_all, fields(username = %body.username))]
pub async fn create_user(
    State(state): State<AppState>,
    AdminSession(session): AdminSession,
    ApiJson(body): ApiJson<NewStaffUser>,
) -> Result<(StatusCode, Json<StaffMe>), AppError> {
    let password = body.password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(password.expose()))
        .await
        .map_err(blocking_failed)?
        .map_err(password_failed)?;
    match state
        .store
        .create_staff_user(
            &body.username,
            &hash,
            body.role,
            AuditActor::Staff(&session.user),
            clock::now(),
        )
        .await?
    {
        NewUserOutcome::Created(user) => Ok((
            StatusCode::CREATED,
            Json(StaffMe {
                username: user.username,
                role: user.role,
            }),
        )),
        NewUserOutcome::NameTaken => Err(AppError::ConflictWith(LocalizedText::new(
            "该用户名已被使用。",
            "This username is taken.",
        ))),
    }
}

/// `GET /api/v1/staff/users` (administrators): every account, oldest first.
#[tracing::instrument(name = "staff_users", skip_all)]
pub async fn users(
    State(state): State<AppState>,
    _admin: AdminSession,
) -> Result<Json<Vec<StaffAccount>>, AppError> {
    Ok(Json(state.store.staff_accounts().await?))
}

async fn set_enabled(
    state: &AppState,
    session: &StaffSession,
    raw: &str,
    enable: bool,
) -> Result<Json<StaffAccount>, AppError> {
    let username = Username::parse(raw).map_err(|_| AppError::NotFound)?;
    match state
        .store
        .set_staff_enabled(&username, enable, &session.user, clock::now())
        .await?
    {
        AccountOutcome::Changed(account) => {
            tracing::info!(%username, enable, "staff account");
            Ok(Json(account))
        }
        AccountOutcome::UnknownUser => Err(AppError::NotFound),
        AccountOutcome::Refused(error) => Err(AppError::ConflictWith(error.message())),
    }
}

/// `POST /api/v1/staff/users/{username}/disable` (administrators): its
/// sessions end and it cannot sign in; 409 for oneself or the last enabled
/// administrator.
#[tracing::instrument(name = "staff_disable_user", skip(state, session))]
pub async fn disable_user(
    State(state): State<AppState>,
    AdminSession(session): AdminSession,
    ApiPath(username): ApiPath<String>,
) -> Result<Json<StaffAccount>, AppError> {
    set_enabled(&state, &session, &username, false).await
}

/// `POST /api/v1/staff/users/{username}/enable` (administrators).
#[tracing::instrument(name = "staff_enable_user", skip(state, session))]
pub async fn enable_user(
    State(state): State<AppState>,
    AdminSession(session): AdminSession,
    ApiPath(username): ApiPath<String>,
) -> Result<Json<StaffAccount>, AppError> {
    set_enabled(&state, &session, &username, true).await
}

/// `GET /api/v1/staff/audit` (administrators): newest first.
#[tracing::instrument(name = "staff_audit", skip_all)]
pub async fn audit(
    State(state): State<AppState>,
    _admin: AdminSession,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    Ok(Json(state.store.audit_log(&query).await?))
}

/// `GET /api/v1/staff/cases`: complete cases, overdue first, then newest.
#[tracing::instrument(name = "staff_cases", skip_all)]
pub async fn cases(
    State(state): State<AppState>,
    _session: StaffSession,
    ApiQuery(filter): ApiQuery<CaseFilter>,
) -> Result<Json<Vec<CaseSummary>>, AppError> {
    Ok(Json(state.store.staff_cases(&filter, clock::now()).await?))
}

fn case_number(raw: &str) -> Result<CaseNumber, AppError> {
    CaseNumber::parse(raw).map_err(|_| AppError::NotFound)
}

/// `GET /api/v1/staff/cases/{case_number}`.
#[tracing::instrument(name = "staff_case", skip(state, _session))]
pub async fn case(
    State(state): State<AppState>,
    _session: StaffSession,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<CaseDetail>, AppError> {
    state
        .store
        .staff_case(case_number(&number)?, clock::now())
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// `GET /api/v1/staff/cases/{case_number}/media/{index}`: the stored bytes
/// with their content type.
#[tracing::instrument(name = "staff_medium", skip(state, _session))]
pub async fn medium(
    State(state): State<AppState>,
    _session: StaffSession,
    ApiPath((number, index)): ApiPath<(String, u8)>,
) -> Result<Response, AppError> {
    let (mime, bytes) = state
        .store
        .staff_medium(case_number(&number)?, index)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = HeaderValue::from_str(&mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// `GET /api/v1/staff/supports/{support_id}/media/{index}`: a support's
/// stored medium, with its content type.
#[tracing::instrument(name = "staff_support_medium", skip(state, _session))]
pub async fn support_medium(
    State(state): State<AppState>,
    _session: StaffSession,
    ApiPath((support, index)): ApiPath<(SupportId, u8)>,
) -> Result<Response, AppError> {
    let (mime, bytes) = state
        .store
        .staff_support_medium(support, index)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = HeaderValue::from_str(&mime)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// The raw shape of [`AcceptBody`] and [`PublicSummaryBody`]: the summary
/// is checked here, so a bad one is answered with its own message.
#[derive(serde::Deserialize)]
struct SummaryWire {
    #[serde(default)]
    public_summary: Option<String>,
}

/// The public summary of an accept or public-summary body: none for an
/// empty body, `null`, `{}`, a null or blank summary; 422 with
/// `PublicSummaryError`'s message for a summary that breaks its rules.
fn read_summary(body: &[u8]) -> Result<Option<PublicSummary>, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let wire: Option<SummaryWire> =
        serde_json::from_slice(body).map_err(|error| AppError::Malformed(error.to_string()))?;
    let raw = wire
        .and_then(|wire| wire.public_summary)
        .unwrap_or_default();
    PublicSummary::parse_optional(&raw).map_err(|error| AppError::InvalidWith(error.message()))
}

/// `POST …/public-summary` with [`PublicSummaryBody`] (any staff member):
/// writes, replaces or (with `null`) withdraws what the public sees of the
/// problem; 200 with the summary now.
#[tracing::instrument(name = "staff_public_summary", skip(state, session, body))]
pub async fn public_summary(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
    ApiBytes(body): ApiBytes,
) -> Result<Json<PublicSummaryBody>, AppError> {
    let number = case_number(&number)?;
    let summary = read_summary(&body)?;
    match state
        .store
        .set_public_summary(number, summary.as_ref(), &session.user, clock::now())
        .await?
    {
        SummaryOutcome::Written(public_summary) => {
            tracing::info!(case = %number, "public summary");
            Ok(Json(PublicSummaryBody { public_summary }))
        }
        SummaryOutcome::UnknownCase => Err(AppError::NotFound),
    }
}

async fn act(
    state: &AppState,
    session: &StaffSession,
    number: &str,
    action: CaseAction,
) -> Result<Json<Timeline>, AppError> {
    let number = case_number(number)?;
    match state
        .store
        .apply_case_action(number, &action, &session.user, clock::now())
        .await?
    {
        ActionOutcome::Applied(timeline) => {
            tracing::info!(case = %number, action = ?action.kind(), "case action");
            Ok(Json(timeline))
        }
        ActionOutcome::UnknownCase => Err(AppError::NotFound),
        ActionOutcome::UnknownTarget => Err(AppError::InvalidWith(LocalizedText::new(
            "所标记的原案件不存在。",
            "The case this would duplicate does not exist.",
        ))),
        ActionOutcome::TargetIsDuplicate(original) => Err(AppError::InvalidWith(LocalizedText::new(
            format!("所标记的案件本身是 {original} 的重复举报，请标记为与 {original} 重复。"),
            format!(
                "That case is itself a duplicate of {original}; mark this one a duplicate of {original}."
            ),
        ))),
        ActionOutcome::Refused(error) => Err(error.into()),
    }
}

/// `POST …/accept`, with no body or an [`AcceptBody`] (its optional public
/// summary is stored with the acceptance): 200 with the timeline.
#[tracing::instrument(name = "staff_accept", skip(state, session, body))]
pub async fn accept(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
    ApiBytes(body): ApiBytes,
) -> Result<Json<Timeline>, AppError> {
    let public_summary = read_summary(&body)?;
    let action = CaseAction::Accept(AcceptBody { public_summary });
    act(&state, &session, &number, action).await
}

/// `POST …/on-site`.
#[tracing::instrument(name = "staff_on_site", skip(state, session))]
pub async fn on_site(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<Timeline>, AppError> {
    act(&state, &session, &number, CaseAction::OnSite).await
}

/// `POST …/resolve` with the public reply.
#[tracing::instrument(name = "staff_resolve", skip(state, session, body))]
pub async fn resolve(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<ResolveBody>,
) -> Result<Json<Timeline>, AppError> {
    act(&state, &session, &number, CaseAction::Resolve(body)).await
}

/// `POST …/reject` with the reason.
#[tracing::instrument(name = "staff_reject", skip(state, session, body))]
pub async fn reject(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<RejectBody>,
) -> Result<Json<Timeline>, AppError> {
    act(&state, &session, &number, CaseAction::Reject(body)).await
}

/// `POST …/duplicate` with the earlier case and the reason.
#[tracing::instrument(name = "staff_duplicate", skip(state, session, body))]
pub async fn duplicate(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<DuplicateBody>,
) -> Result<Json<Timeline>, AppError> {
    act(&state, &session, &number, CaseAction::Duplicate(body)).await
}

/// `GET /api/v1/staff/reply-templates`.
#[tracing::instrument(name = "staff_reply_templates", skip_all)]
pub async fn templates(_session: StaffSession) -> Json<Vec<ReplyTemplate>> {
    Json(reply_templates())
}

async fn reward_step(
    state: &AppState,
    session: &StaffSession,
    number: &str,
    step: RewardStep,
) -> Result<Json<StaffReward>, AppError> {
    // Who may take which step is protocol's rule, the one the console
    // reads to show the buttons.
    if !session.user.role.allows(step.role()) {
        return Err(AppError::Forbidden);
    }
    let number = case_number(number)?;
    match state
        .store
        .apply_reward_step(number, step, &session.user, clock::now())
        .await?
    {
        RewardOutcome::Applied(reward) => {
            tracing::info!(case = %number, state = reward.state.code(), "reward");
            Ok(Json(reward))
        }
        RewardOutcome::UnknownCase => Err(AppError::NotFound),
        RewardOutcome::Refused(error @ RewardError::NoContact) => {
            Err(AppError::InvalidWith(error.message()))
        }
        RewardOutcome::Refused(error) => Err(AppError::ConflictWith(error.message())),
    }
}

/// `POST …/reward` with the amount in fen (any staff member): 200 with the
/// proposed reward; 422 without contact details; 409 unless the case is
/// resolved and has no reward yet.
#[tracing::instrument(name = "staff_propose_reward", skip(state, session, body))]
pub async fn propose_reward(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<ProposeReward>,
) -> Result<Json<StaffReward>, AppError> {
    reward_step(
        &state,
        &session,
        &number,
        RewardStep::Propose(body.amount_fen),
    )
    .await
}

/// `POST …/reward/approve` (`RewardStep::Approve.role()`: administrators):
/// a proposed reward.
#[tracing::instrument(name = "staff_approve_reward", skip(state, session))]
pub async fn approve_reward(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<StaffReward>, AppError> {
    reward_step(&state, &session, &number, RewardStep::Approve).await
}

/// `POST …/reward/reject` (`RewardStep::Reject.role()`): a proposed reward.
#[tracing::instrument(name = "staff_reject_reward", skip(state, session))]
pub async fn reject_reward(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<StaffReward>, AppError> {
    reward_step(&state, &session, &number, RewardStep::Reject).await
}

/// `POST …/reward/paid` (`RewardStep::MarkPaid.role()`): an approved reward
/// was paid.
#[tracing::instrument(name = "staff_reward_paid", skip(state, session))]
pub async fn reward_paid(
    State(state): State<AppState>,
    session: StaffSession,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<StaffReward>, AppError> {
    reward_step(&state, &session, &number, RewardStep::MarkPaid).await
}
