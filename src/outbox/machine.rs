//! The sync machine as the outbox stores it, in the `SYNC` store under
//! `MACHINE_KEY`: read by the queueing transaction (`mod.rs`) and by the
//! sync state's writes (`sync_state.rs`).

use protocol::sync::SyncMachine;
use serde::Serialize;
use wasm_bindgen::JsValue;
use web_shared::idb::{from_record, StorageError, Store};

use super::schema::MACHINE_KEY;

/// The machine as stored (JSON-compatible: absent options as `null`).
pub(super) fn machine_to_js<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| StorageError::Browser(error.to_string()))
}

/// The machine in `store` (the `SYNC` store of some transaction).
pub(super) async fn read_machine(store: &Store<'_>) -> Result<SyncMachine, StorageError> {
    let value = store.get(MACHINE_KEY).await?;
    Ok(value
        .and_then(|value| from_record(value).ok())
        .unwrap_or_default())
}
