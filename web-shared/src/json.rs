//! JSON text through the browser's own `JSON` object and serde-wasm-bindgen,
//! not serde_json: its parser and printer would add kilobytes to every app's
//! first load for what the browser already does.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// `text` as a `T`, if it is JSON of that shape.
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// `value` as JSON text (maps as objects, as serde_json writes them).
pub fn stringify(value: &impl Serialize) -> Option<String> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}
