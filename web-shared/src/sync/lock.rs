//! One sender across the app's tabs: the Web Locks API
//! (`navigator.locks.request`). A tab holds the lock for the whole of one
//! sync run and re-reads the machine from IndexedDB once it has it, so two
//! tabs never send at once and never work from a stale copy.
//!
//! Called through `js_sys::Reflect`: web-sys exposes `LockManager` only
//! under its unstable-API cfg. Where the API is missing (very old
//! browsers), the work runs unlocked: with one tab that is the same thing,
//! and with two the server's idempotency still keeps each report single.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// Runs `work` while this tab holds the Web Lock `name`, waiting for it
/// when another tab holds it. `None` only if the lock was lost while the
/// work ran (another tab stole it), so its result never arrived.
pub async fn exclusive<F, T>(name: &str, work: F) -> Option<T>
where
    F: Future<Output = T> + 'static,
    T: 'static,
{
    let work = Rc::new(RefCell::new(Some(work)));
    let result = Rc::new(RefCell::new(None::<T>));
    if let Some((locks, request)) = lock_manager() {
        let callback = {
            let work = work.clone();
            let result = result.clone();
            Closure::once_into_js(move |_lock: JsValue| -> Promise {
                future_to_promise(async move {
                    let Some(work) = work.borrow_mut().take() else {
                        return Ok(JsValue::UNDEFINED);
                    };
                    let value = work.await;
                    *result.borrow_mut() = Some(value);
                    Ok(JsValue::UNDEFINED)
                })
            })
        };
        if let Ok(promise) = request.call2(&locks, &JsValue::from_str(name), &callback) {
            let _ = JsFuture::from(Promise::from(promise)).await;
        }
    }
    if let Some(value) = result.borrow_mut().take() {
        return Some(value);
    }
    // No lock manager, or the request failed before running the work.
    let work = work.borrow_mut().take();
    match work {
        Some(work) => Some(work.await),
        None => None,
    }
}

fn lock_manager() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    Some((locks, request))
}
