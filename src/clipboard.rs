//! Copying text for the person (`navigator.clipboard.writeText`).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Puts `text` on the clipboard; `false` when the browser refused.
pub async fn write(text: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else {
        return false;
    };
    let Ok(clipboard) = Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return false;
    };
    let Some(write_text) = Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    match write_text.call1(&clipboard, &JsValue::from_str(text)) {
        Ok(promise) => JsFuture::from(Promise::from(promise)).await.is_ok(),
        Err(_) => false,
    }
}
