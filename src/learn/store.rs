//! What Learn keeps on the device, in its own IndexedDB database
//! (`greenwatch-learn`), apart from the reports' outbox so the two can
//! change their schemas independently:
//!
//! - `best`: the best score per pack choice (solo);
//! - `events`: each event with its settings and its participants' scores;
//! - `meta`: which event is running (event mode survives a reload);
//! - `results`: the results outbox, each event participant's result as it
//!   will be sent (no nickname) and its sending state;
//! - `packs`: quiz packs the server sent, newer than the bundled ones.
//!
//! Every value is stored as JSON text. Invariants:
//! - a participant's score and their queued result are written in one
//!   transaction: the leaderboard and the upload never disagree;
//! - a record this version cannot read is left in place, never overwritten
//!   or dropped (it is skipped when listing).

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use protocol::quiz::{BestScore, EventSettings, LeaderCode, ParticipantScore};
use protocol::report::UnixMillis;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::outbox::{QueuedResult, ResultState};
use crate::storage::StorageError;

pub const DB_NAME: &str = "greenwatch-learn";
const VERSION: u32 = 1;

const BEST: &str = "best";
const EVENTS: &str = "events";
const META: &str = "meta";
const RESULTS: &str = "results";
const PACKS: &str = "packs";
/// The key, in `meta`, of the running event's id.
const ACTIVE: &str = "active-event";

/// An event and everything it collected on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: uuid::Uuid,
    pub settings: EventSettings,
    pub code: LeaderCode,
    /// The event's question draw: every participant gets the same
    /// questions, each in an order of their own.
    pub seed: u64,
    pub started_at: UnixMillis,
    pub ended_at: Option<UnixMillis>,
    pub scores: Vec<ParticipantScore>,
}

/// A pack the server sent, kept as its JSON text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedPack {
    pub id: String,
    pub version: u32,
    pub json: String,
}

pub struct LearnStore {
    db: Database,
}

fn json<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    serde_json::to_string(value)
        .map(|text| JsValue::from_str(&text))
        .map_err(|error| StorageError::Browser(error.to_string()))
}

fn parse<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    value
        .as_string()
        .and_then(|text| serde_json::from_str(&text).ok())
}

impl LearnStore {
    pub async fn open() -> Result<LearnStore, StorageError> {
        Self::open_named(DB_NAME).await
    }

    pub async fn open_named(name: &str) -> Result<LearnStore, StorageError> {
        let db = Database::open(name)
            .with_version(VERSION)
            .with_on_blocked(|_event| Ok(()))
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    for store in [BEST, EVENTS, META, RESULTS, PACKS] {
                        db.create_object_store(store).build()?;
                    }
                }
                Ok(())
            })
            .await?;
        Ok(LearnStore { db })
    }

    pub fn close(self) {
        self.db.close();
    }

    async fn read<T: DeserializeOwned>(
        &self,
        store: &str,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        let tx = self.db.transaction(store).build()?;
        let value: Option<JsValue> = tx.object_store(store)?.get(key).primitive()?.await?;
        Ok(value.and_then(parse))
    }

    async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, StorageError> {
        let tx = self.db.transaction(store).build()?;
        let values: Vec<JsValue> = tx
            .object_store(store)?
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        Ok(values.into_iter().filter_map(parse).collect())
    }

    async fn write<T: Serialize>(
        &self,
        store: &str,
        key: &str,
        value: &T,
    ) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(store)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(store)?
            .put(json(value)?)
            .with_key(key)
            .primitive()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The best solo score kept for a pack choice.
    pub async fn best(&self, choice_key: &str) -> Result<Option<BestScore>, StorageError> {
        self.read(BEST, choice_key).await
    }

    /// Keeps `score` if it beats the kept one; says whether it did.
    pub async fn offer_best(
        &self,
        choice_key: &str,
        score: BestScore,
    ) -> Result<bool, StorageError> {
        let kept = self.best(choice_key).await?;
        let best = BestScore::best(kept, score);
        if Some(best) == kept {
            return Ok(false);
        }
        self.write(BEST, choice_key, &best).await?;
        Ok(true)
    }

    /// The running event, if the device is in event mode.
    pub async fn active_event(&self) -> Result<Option<EventRecord>, StorageError> {
        let Some(id) = self.read::<String>(META, ACTIVE).await? else {
            return Ok(None);
        };
        self.read(EVENTS, &id).await
    }

    /// Starts event mode with a new event.
    pub async fn start_event(&self, event: &EventRecord) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction([EVENTS, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let key = event.id.to_string();
        tx.object_store(EVENTS)?
            .put(json(event)?)
            .with_key(key.clone())
            .primitive()?
            .await?;
        tx.object_store(META)?
            .put(json(&key)?)
            .with_key(ACTIVE)
            .primitive()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends event mode; the event and its scores stay.
    pub async fn end_event(&self, event: &EventRecord, at: UnixMillis) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction([EVENTS, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let mut ended = event.clone();
        ended.ended_at = Some(at);
        tx.object_store(EVENTS)?
            .put(json(&ended)?)
            .with_key(event.id.to_string())
            .primitive()?
            .await?;
        tx.object_store(META)?.delete(ACTIVE).primitive()?.await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a participant's score to the event and queues their result for
    /// sending, in one transaction. Returns the event as stored.
    pub async fn add_participant(
        &self,
        event_id: uuid::Uuid,
        score: ParticipantScore,
        result: &QueuedResult,
    ) -> Result<EventRecord, StorageError> {
        let tx = self
            .db
            .transaction([EVENTS, RESULTS])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let events = tx.object_store(EVENTS)?;
        let key = event_id.to_string();
        let stored: Option<JsValue> = events.get(key.clone()).primitive()?.await?;
        let mut event: EventRecord = match stored {
            None => return Err(StorageError::NotFound),
            Some(value) => parse(value).ok_or_else(|| {
                StorageError::Browser("the event's record could not be read".into())
            })?,
        };
        event.scores.push(score);
        events.put(json(&event)?).with_key(key).primitive()?.await?;
        tx.object_store(RESULTS)?
            .put(json(result)?)
            .with_key(result.id.to_string())
            .primitive()?
            .await?;
        tx.commit().await?;
        Ok(event)
    }

    /// Every result in the outbox.
    pub async fn results(&self) -> Result<Vec<QueuedResult>, StorageError> {
        self.all(RESULTS).await
    }

    /// Records a result's new sending state.
    pub async fn set_result_state(
        &self,
        result: &QueuedResult,
        state: ResultState,
    ) -> Result<(), StorageError> {
        let mut updated = result.clone();
        updated.state = state;
        self.write(RESULTS, &result.id.to_string(), &updated).await
    }

    /// The packs the server sent, as kept.
    pub async fn cached_packs(&self) -> Result<Vec<CachedPack>, StorageError> {
        self.all(PACKS).await
    }

    /// Keeps packs from the server (each replaces its id's older copy).
    pub async fn keep_packs(&self, packs: &[CachedPack]) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(PACKS)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(PACKS)?;
        for pack in packs {
            store
                .put(json(pack)?)
                .with_key(pack.id.clone())
                .primitive()?
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
