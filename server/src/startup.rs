//! Building the application from its configuration.
//!
//! `app` is the whole HTTP surface as one `Router`; `Server::build` binds it to
//! a port (0 for a free one) after preparing the data folder and opening the
//! store in it.

use std::net::SocketAddr;

use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use protocol::channels::CHANNELS_ROUTE;
use protocol::quiz::QUIZ_PACKS_ROUTE;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::cache_policy::cache_control_for;
use crate::channels::{ChannelCatalog, ChannelsFileError};
use crate::client_addr::{self, TrustedProxies};
use crate::config::Config;
use crate::quiz_packs::{QuizCatalog, QuizDirError};
use crate::rate_limit::{self, ClientLimiter};
use crate::state::AppState;
use crate::store::{Store, StoreError};
use crate::{routes, security, static_files};

/// The whole HTTP surface of GreenWatch.
pub fn app(state: AppState) -> Router {
    let files = static_files::service(&state.config.dist_dir);
    let dist_dir = state.config.dist_dir.clone();
    // One limit per client: in the database on PostgreSQL (shared by every
    // instance), in memory on SQLite.
    let limiter = ClientLimiter::new(state.config.rate_limits(), &state.store);
    let trusted = TrustedProxies::new(state.config.trusted_proxies.clone());
    let api = routes::api()
        .layer(middleware::from_fn(run_to_completion))
        .layer(middleware::from_fn_with_state(
            limiter.clone(),
            rate_limit::limit,
        ));
    // The transparency page reads the store on each request: it shares the
    // API's rate limit. Routed here, it wins over the app's fallback.
    let pages = routes::transparency::page_routes().layer(middleware::from_fn_with_state(
        limiter.clone(),
        rate_limit::limit,
    ));
    // Open311 (`/open311/v2`) shares the API's rate limit per client; nested
    // with its own fallback, nothing under /open311 reaches the app's page.
    let open311 = routes::open311::routes()
        .layer(middleware::from_fn(run_to_completion))
        .layer(middleware::from_fn_with_state(limiter, rate_limit::limit));
    let router = Router::new()
        .nest("/api", api)
        .nest("/open311", open311)
        // `nest` leaves the bare folder with a slash to the fallback.
        .route("/open311/", axum::routing::any(routes::open311::not_found))
        .merge(pages)
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(CompressionLayer::new());
    security::with_security_headers(router, &dist_dir)
        .layer(TraceLayer::new_for_http())
        // Outermost: every request knows its client (`ClientIp`) first.
        .layer(middleware::from_fn_with_state(
            trusted,
            client_addr::resolve,
        ))
        .with_state(state)
}

/// Runs the rest of the request in a task of its own, so that a client
/// that goes away (a phone losing signal, a load generator stopping) does
/// not cancel a handler half-way through a database transaction. A
/// cancelled transaction's rollback is only queued by sqlx; under load the
/// connection went back to the pool still inside it, and every later write
/// failed ("non-zero transaction depth", then "database is locked"). Once
/// started, every API request now ends with its commit or rollback.
async fn run_to_completion(req: Request, next: Next) -> Response {
    match tokio::spawn(next.run(req)).await {
        Ok(response) => response,
        // The handler panicked (the `server` profile unwinds): that request
        // fails, the server goes on.
        Err(_) => axum::response::IntoResponse::into_response(crate::error::AppError::Panicked),
    }
}

/// `/api/` and `/open311/` answers are never stored by a cache, except the
/// quiz packs and the reporting channels, which a cache keeps but
/// revalidates every time (`no-cache` with their `ETag`); app files get
/// their policy.
async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    let status = response.status();
    let value = if (path == QUIZ_PACKS_ROUTE || path == CHANNELS_ROUTE)
        && (status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED)
    {
        "no-cache"
    } else if path == "/api"
        || path.starts_with("/api/")
        || path == "/open311"
        || path.starts_with("/open311/")
    {
        "no-store"
    } else if status.is_success() {
        cache_control_for(&path)
    } else {
        "no-store"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Quiz(#[from] QuizDirError),
    #[error(transparent)]
    Channels(#[from] ChannelsFileError),
    #[error("cannot open the store in {path}: {source}")]
    Store { path: String, source: StoreError },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Server {
    listener: TcpListener,
    router: Router,
    /// `Store::describe`: the backend and where, without a password.
    database: String,
}

impl Server {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        // First: a bad pack file stops the server before anything is created.
        let quiz = QuizCatalog::load(config.quiz_dir.as_deref())?;
        let channels = ChannelCatalog::load(config.channels_file.as_deref())?;
        tokio::fs::create_dir_all(&config.data_dir)
            .await
            .map_err(|source| StartupError::DataDir {
                path: config.data_dir.display().to_string(),
                source,
            })?;
        // Opens the database (SQLite: WAL, synchronous=FULL; or the
        // PostgreSQL of `--database-url`) and runs its migrations.
        let store = Store::open(&config.store_location())
            .await
            .map_err(|source| StartupError::Store {
                path: match (&config.database_url, &config.media_url) {
                    (None, None) => config.data_dir.display().to_string(),
                    (url, media) => format!(
                        "{} with media in {}",
                        url.as_ref().map_or_else(
                            || config.data_dir.display().to_string(),
                            |url| url.redacted()
                        ),
                        media.as_ref().map_or_else(
                            || config
                                .data_dir
                                .join(crate::store::MEDIA_DIR)
                                .display()
                                .to_string(),
                            |url| url.to_string()
                        )
                    ),
                },
                source,
            })?;
        if !config.dist_dir.join("index.html").is_file() {
            tracing::warn!(
                dist_dir = %config.dist_dir.display(),
                "the app is not built here; only /api/ will answer"
            );
        }
        let listener =
            TcpListener::bind(config.bind)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: config.bind,
                    source,
                })?;
        let database = format!("{}, media {}", store.describe(), store.describe_media());
        let router = app(AppState::new(config, store)
            .with_quiz(quiz)
            .with_channels(channels));
        Ok(Self {
            listener,
            router,
            database,
        })
    }

    /// Which database the server runs on (backend, file or URL without
    /// its password), for the log.
    pub fn database(&self) -> &str {
        &self.database
    }

    pub fn local_addr(&self) -> SocketAddr {
        // A bound listener always has a local address.
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The peer address (or, from a trusted proxy, the address it
        // forwarded) keys the rate limits.
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
