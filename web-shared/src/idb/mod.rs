//! The IndexedDB layer: the only code that touches `indexed_db_futures`.
//!
//! Each app describes its database as a [`Schema`] (which stores each version
//! creates) and reads and writes `JsValue`s through [`Db`], [`Tx`] and
//! [`Store`]; what the values mean (records, media, JSON text) is the app's.
//!
//! Invariants:
//! - migrations run in order inside the upgrade, each once, and only create
//!   stores: none deletes a store that may hold people's data;
//! - a [`Tx`] dropped without [`Tx::commit`] is rolled back, so an error
//!   returned half-way through a write leaves nothing half-written;
//! - a transaction awaits only its own requests (callers never hold a [`Tx`]
//!   across another await: the browser would commit it early).

mod error;
pub mod quota;

use indexed_db_futures::database::Database;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use indexed_db_futures::KeyPath;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

pub use error::{StorageError, UnreadableRecord};

/// One object store a schema version creates.
#[derive(Debug, Clone, Copy)]
pub struct NewStore {
    pub name: &'static str,
    /// The record field that is its key; `None` for keys given on each put.
    pub key_path: Option<&'static str>,
}

impl NewStore {
    /// A store whose keys are given on each put.
    pub const fn keyed(name: &'static str) -> Self {
        Self {
            name,
            key_path: None,
        }
    }

    /// A store whose records carry their key in `field`.
    pub const fn with_key_path(name: &'static str, field: &'static str) -> Self {
        Self {
            name,
            key_path: Some(field),
        }
    }
}

/// A database's versioned schema: `versions[0]` is version 1, and each
/// entry lists the stores that version adds.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    pub name: &'static str,
    pub versions: &'static [&'static [NewStore]],
}

impl Schema {
    /// The newest version.
    pub const fn current(&self) -> u32 {
        self.versions.len() as u32
    }
}

/// An open database.
pub struct Db {
    db: Database,
}

impl Db {
    /// Opens `schema`'s database at its newest version, creating or
    /// migrating it as needed.
    pub async fn open(schema: &Schema) -> Result<Db, StorageError> {
        Self::open_as(schema.name, schema, schema.current()).await
    }

    /// Opens the database `name` with `schema`'s stores up to `version`:
    /// for tests (a database of their own, an older version to migrate).
    pub async fn open_as(name: &str, schema: &Schema, version: u32) -> Result<Db, StorageError> {
        let versions = schema.versions;
        let db = Database::open(name)
            .with_version(version)
            .with_on_blocked(|_event| Ok(()))
            .with_on_upgrade_needed(move |event, db| {
                let from = event.old_version() as u32;
                for step in (from + 1)..=version {
                    let Some(stores) = versions.get(step as usize - 1) else {
                        continue;
                    };
                    for store in *stores {
                        let builder = db.create_object_store(store.name);
                        match store.key_path {
                            Some(field) => builder.with_key_path(KeyPath::One(field)).build()?,
                            None => builder.build()?,
                        };
                    }
                }
                Ok(())
            })
            .await?;
        Ok(Db { db })
    }

    pub fn close(self) {
        self.db.close();
    }

    /// The schema version of the open database.
    pub fn version(&self) -> u32 {
        self.db.version() as u32
    }

    /// A read-only transaction over `stores`.
    pub fn read(&self, stores: &[&str]) -> Result<Tx<'_>, StorageError> {
        Ok(Tx {
            tx: self.db.transaction(stores).build()?,
        })
    }

    /// A read-write transaction over `stores`: nothing is written unless it
    /// is committed.
    pub fn write(&self, stores: &[&str]) -> Result<Tx<'_>, StorageError> {
        Ok(Tx {
            tx: self
                .db
                .transaction(stores)
                .with_mode(TransactionMode::Readwrite)
                .build()?,
        })
    }

    /// The value under `key` in `store`, in a read-only transaction of its own.
    pub async fn get(&self, store: &str, key: &str) -> Result<Option<JsValue>, StorageError> {
        let tx = self.read(&[store])?;
        let value = tx.store(store)?.get(key).await?;
        Ok(value)
    }

    /// Every value in `store`, in a read-only transaction of its own.
    pub async fn get_all(&self, store: &str) -> Result<Vec<JsValue>, StorageError> {
        let tx = self.read(&[store])?;
        let values = tx.store(store)?.get_all().await?;
        Ok(values)
    }

    /// How many values `store` holds, in a read-only transaction of its
    /// own (nothing is read out).
    pub async fn count(&self, store: &str) -> Result<u32, StorageError> {
        let tx = self.read(&[store])?;
        let count = tx.store(store)?.store.count().primitive()?.await?;
        Ok(count)
    }

    /// Puts `value` under `key` in `store`, in a transaction of its own.
    pub async fn put(&self, store: &str, key: &str, value: &JsValue) -> Result<(), StorageError> {
        let tx = self.write(&[store])?;
        tx.store(store)?.put(key, value).await?;
        tx.commit().await
    }
}

/// A transaction.
pub struct Tx<'db> {
    tx: Transaction<'db>,
}

impl Tx<'_> {
    pub fn store(&self, name: &str) -> Result<Store<'_>, StorageError> {
        Ok(Store {
            store: self.tx.object_store(name)?,
        })
    }

    /// Commits everything written in this transaction, or nothing.
    pub async fn commit(self) -> Result<(), StorageError> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// One object store inside a transaction.
pub struct Store<'tx> {
    store: ObjectStore<'tx>,
}

impl Store<'_> {
    pub async fn get(&self, key: &str) -> Result<Option<JsValue>, StorageError> {
        Ok(self.store.get(key).primitive()?.await?)
    }

    pub async fn get_all(&self) -> Result<Vec<JsValue>, StorageError> {
        let values: Vec<JsValue> = self
            .store
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        Ok(values)
    }

    /// Every key with its value, in key order.
    pub async fn entries(&self) -> Result<Vec<(JsValue, JsValue)>, StorageError> {
        let keys: Vec<JsValue> = self
            .store
            .get_all_keys::<JsValue>()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        let values = self.get_all().await?;
        Ok(keys.into_iter().zip(values).collect())
    }

    /// Puts `value` under `key` (a store without a key path).
    pub async fn put(&self, key: &str, value: &JsValue) -> Result<(), StorageError> {
        self.store
            .put(value.clone())
            .with_key(key)
            .primitive()?
            .await?;
        Ok(())
    }

    /// Puts a record that carries its own key (a store with a key path).
    pub async fn put_record(&self, value: &JsValue) -> Result<(), StorageError> {
        self.store.put(value.clone()).primitive()?.await?;
        Ok(())
    }

    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        self.store.delete(key).primitive()?.await?;
        Ok(())
    }
}

/// A record as a JS object (maps as objects, absent options left out): the
/// shape every stored record has had, readable by tests and devtools.
pub fn to_record<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .map_err(|error| StorageError::Browser(error.to_string()))
}

/// A record read back, or why it cannot be (the caller keeps it stored).
pub fn from_record<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|error| error.to_string())
}
