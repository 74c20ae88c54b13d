//! Background Sync, where the browser has it (Chromium): a bonus wake-up,
//! never the only path.
//!
//! When a run ends unable to reach the server, the page registers the sync
//! tag [`TAG`]; once the browser sees connectivity it fires `sync` in the
//! service worker (`public/sw.js`), which posts [`TAG`] to the app's open
//! pages, and they run the engine. The engine itself lives in the page (one
//! implementation, in Rust): with no page open, the reports go at the next
//! start, as they would without Background Sync.
//!
//! Called through `js_sys::Reflect`: `SyncManager` is not in web-sys.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The sync tag, and the message the worker posts for it.
pub const TAG: &str = "greenwatch-sync";

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

/// Asks the browser to wake the app when connectivity returns.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(container) = get(&window.navigator(), "serviceWorker") else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let Some(ready) = get(&container, "ready").map(Promise::from) else {
            return;
        };
        let Ok(registration) = JsFuture::from(ready).await else {
            return;
        };
        let Some(manager) = get(&registration, "sync") else {
            return;
        };
        let Some(register) = get(&manager, "register").and_then(|f| f.dyn_into::<Function>().ok())
        else {
            return;
        };
        if let Ok(promise) = register.call1(&manager, &JsValue::from_str(TAG)) {
            // Refused (no permission, no worker yet): the other triggers remain.
            let _ = JsFuture::from(Promise::from(promise)).await;
        }
    });
}

/// Calls `wake` when the service worker passes on a `sync` event.
pub fn listen(wake: impl Fn() + 'static) {
    let Some(container) = web_sys::window().map(|window| window.navigator().service_worker())
    else {
        return;
    };
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if event.data().as_string().as_deref() == Some(TAG) {
                wake();
            }
        });
    let _ =
        container.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
}
