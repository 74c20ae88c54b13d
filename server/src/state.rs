//! `AppState`: what every handler can reach.
//!
//! Its own module, below `startup`, `auth` and `routes`, which all use it;
//! it uses only the modules it holds values of (configuration, store,
//! limiters, quiz packs), never one that uses it.

use std::sync::Arc;

use crate::channels::ChannelCatalog;
use crate::config::Config;
use crate::quiz_packs::QuizCatalog;
use crate::rate_limit::{LoginLimiter, RateLimiter, OPEN311_POST_LIMITS};
use crate::store::Store;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    /// Failed staff logins per name and per client (shared by every
    /// instance on PostgreSQL).
    pub logins: LoginLimiter,
    /// The quiz packs served and their precomputed answer.
    pub quiz: Arc<QuizCatalog>,
    /// The reporting channels served and their precomputed answer.
    pub channels: Arc<ChannelCatalog>,
    /// Open311 `POST requests` per API key ([`OPEN311_POST_LIMITS`]).
    pub open311_posts: RateLimiter<String>,
}

impl AppState {
    /// The state with the built-in quiz packs and channels; `Server::build`
    /// adds those of `config.quiz_dir` with [`AppState::with_quiz`] and
    /// `config.channels_file`'s with [`AppState::with_channels`].
    pub fn new(config: Config, store: Store) -> Self {
        Self {
            config: Arc::new(config),
            logins: LoginLimiter::new(&store),
            store,
            quiz: Arc::new(QuizCatalog::built_in()),
            channels: Arc::new(ChannelCatalog::built_in()),
            open311_posts: RateLimiter::new(OPEN311_POST_LIMITS),
        }
    }

    /// The same state serving `quiz`.
    pub fn with_quiz(self, quiz: QuizCatalog) -> Self {
        Self {
            quiz: Arc::new(quiz),
            ..self
        }
    }

    /// The same state serving `channels` (`config.channels_file`'s list).
    pub fn with_channels(self, channels: ChannelCatalog) -> Self {
        Self {
            channels: Arc::new(channels),
            ..self
        }
    }
}
