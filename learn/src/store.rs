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
//!   or dropped (a result is reported as unreadable, with the reason; other
//!   records are skipped when listing).

use protocol::quiz::{BestScore, EventSettings, LeaderCode, ParticipantScore, QuizResultUpload};
use protocol::report::UnixMillis;
use protocol::LocalizedText;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use web_shared::idb::{Db, NewStore, Schema, StorageError, UnreadableRecord};

const BEST: &str = "best";
const EVENTS: &str = "events";
const META: &str = "meta";
/// The results outbox.
pub const RESULTS: &str = "results";
const PACKS: &str = "packs";
/// The key, in `meta`, of the running event's id.
const ACTIVE: &str = "active-event";

/// Learn's database, apart from the reports' outbox so the two can change
/// their schemas independently. v1: every store.
pub const SCHEMA: Schema = Schema {
    name: "greenwatch-learn",
    versions: &[&[
        NewStore::keyed(BEST),
        NewStore::keyed(EVENTS),
        NewStore::keyed(META),
        NewStore::keyed(RESULTS),
        NewStore::keyed(PACKS),
    ]],
};
pub const DB_NAME: &str = SCHEMA.name;

/// A result waiting to be sent, or sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedResult {
    pub id: uuid::Uuid,
    pub upload: QuizResultUpload,
    pub state: ResultState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ResultState {
    Queued,
    Sent,
    /// The server refused the content; kept, not sent again.
    Refused(LocalizedText),
}

/// The results outbox as read: the readable results and those this version
/// cannot read (kept stored, shown as needing attention).
#[derive(Debug, Default)]
pub struct ResultListing {
    pub results: Vec<QueuedResult>,
    pub unreadable: Vec<UnreadableRecord>,
}

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
    db: Db,
}

fn json<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    serde_json::to_string(value)
        .map(|text| JsValue::from_str(&text))
        .map_err(|error| StorageError::Browser(error.to_string()))
}

fn parse<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    parse_or_why(value).ok()
}

/// A stored JSON text as `T`, or why it cannot be read.
fn parse_or_why<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    let text = value
        .as_string()
        .ok_or_else(|| "not JSON text".to_owned())?;
    serde_json::from_str(&text).map_err(|error| error.to_string())
}

impl LearnStore {
    pub async fn open() -> Result<LearnStore, StorageError> {
        Self::open_named(DB_NAME).await
    }

    /// Opens the database `name` with Learn's schema (tests use their own).
    pub async fn open_named(name: &str) -> Result<LearnStore, StorageError> {
        let db = Db::open_as(name, &SCHEMA, SCHEMA.current()).await?;
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
        Ok(self.db.get(store, key).await?.and_then(parse))
    }

    async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, StorageError> {
        let values = self.db.get_all(store).await?;
        Ok(values.into_iter().filter_map(parse).collect())
    }

    async fn write<T: Serialize>(
        &self,
        store: &str,
        key: &str,
        value: &T,
    ) -> Result<(), StorageError> {
        self.db.put(store, key, &json(value)?).await
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
        let tx = self.db.write(&[EVENTS, META])?;
        let key = event.id.to_string();
        tx.store(EVENTS)?.put(&key, &json(event)?).await?;
        tx.store(META)?.put(ACTIVE, &json(&key)?).await?;
        tx.commit().await
    }

    /// Ends event mode; the event and its scores stay.
    pub async fn end_event(&self, event: &EventRecord, at: UnixMillis) -> Result<(), StorageError> {
        let tx = self.db.write(&[EVENTS, META])?;
        let mut ended = event.clone();
        ended.ended_at = Some(at);
        tx.store(EVENTS)?
            .put(&event.id.to_string(), &json(&ended)?)
            .await?;
        tx.store(META)?.delete(ACTIVE).await?;
        tx.commit().await
    }

    /// Adds a participant's score to the event and queues their result for
    /// sending, in one transaction. Returns the event as stored.
    pub async fn add_participant(
        &self,
        event_id: uuid::Uuid,
        score: ParticipantScore,
        result: &QueuedResult,
    ) -> Result<EventRecord, StorageError> {
        let tx = self.db.write(&[EVENTS, RESULTS])?;
        let events = tx.store(EVENTS)?;
        let key = event_id.to_string();
        let mut event: EventRecord = match events.get(&key).await? {
            None => return Err(StorageError::NotFound),
            Some(value) => parse_or_why(value).map_err(|error| {
                StorageError::Unreadable(UnreadableRecord {
                    key: Some(key.clone()),
                    error,
                })
            })?,
        };
        event.scores.push(score);
        events.put(&key, &json(&event)?).await?;
        tx.store(RESULTS)?
            .put(&result.id.to_string(), &json(result)?)
            .await?;
        tx.commit().await?;
        Ok(event)
    }

    /// Every result in the outbox, and those this version cannot read.
    pub async fn results(&self) -> Result<ResultListing, StorageError> {
        let tx = self.db.read(&[RESULTS])?;
        let store = tx.store(RESULTS)?;
        let mut listing = ResultListing::default();
        for (key, value) in store.entries().await? {
            match parse_or_why::<QueuedResult>(value) {
                Ok(result) => listing.results.push(result),
                Err(error) => listing.unreadable.push(UnreadableRecord {
                    key: key.as_string(),
                    error,
                }),
            }
        }
        Ok(listing)
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
        let tx = self.db.write(&[PACKS])?;
        let store = tx.store(PACKS)?;
        for pack in packs {
            store.put(&pack.id, &json(pack)?).await?;
        }
        tx.commit().await
    }
}
