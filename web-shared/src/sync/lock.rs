//! One sender across the app's tabs: the Web Locks API
//! (`navigator.locks.request`). A tab holds the lock for the whole of one
//! sync run and re-reads the machine from IndexedDB once it has it, so two
//! tabs never send at once and never work from a stale copy.
//!
//! A page leaving (`pagehide`, [`release_on_leave`]) gives the lock back at
//! once: a page kept in the back-forward cache would otherwise hold it, and
//! the next page (the citizen app is several builds, so following a link
//! may load another document) would never send; WebKit before its 2025 fix
//! (bug 283528) keeps the locks of a cached page. A page that comes back
//! from that cache reloads (`pageshow`), so its half-done run never goes on
//! without the lock.
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
use wasm_bindgen::JsCast;
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
                let held = future_to_promise(async move {
                    let Some(work) = work.borrow_mut().take() else {
                        return Ok(JsValue::UNDEFINED);
                    };
                    let value = work.await;
                    *result.borrow_mut() = Some(value);
                    Ok(JsValue::UNDEFINED)
                });
                // Held until the work ends or the page leaves.
                Promise::race(&js_sys::Array::of2(&held, &leaving()))
            })
        };
        // A request still waiting when the page leaves is withdrawn too: a
        // cached page must not be granted the lock later.
        let options = js_sys::Object::new();
        let _ = Reflect::set(&options, &JsValue::from_str("signal"), &leave_signal());
        if let Ok(promise) = request.call3(&locks, &JsValue::from_str(name), &options, &callback) {
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

thread_local! {
    /// Aborted when the page leaves: withdraws lock requests still waiting
    /// and ends the hold of the one granted ([`leaving`]).
    static LEAVE: Option<web_sys::AbortController> = web_sys::AbortController::new().ok();
}

/// The signal aborted when the page leaves (`JsValue::UNDEFINED` where
/// there is no `AbortController`: the request then has no signal).
fn leave_signal() -> JsValue {
    LEAVE.with(|controller| {
        controller
            .as_ref()
            .map_or(JsValue::UNDEFINED, |controller| controller.signal().into())
    })
}

/// A promise that resolves when the page leaves (never, where there is no
/// `AbortController`).
fn leaving() -> Promise {
    let signal = LEAVE.with(|controller| controller.as_ref().map(|c| c.signal()));
    Promise::new(&mut |resolve, _| {
        let Some(signal) = &signal else {
            return;
        };
        if signal.aborted() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        } else {
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
        }
    })
}

/// Gives the lock back when the page leaves, and reloads a page restored
/// from the back-forward cache (see the module's doc). Call once.
pub fn release_on_leave() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hide = Closure::<dyn Fn()>::new(|| {
        LEAVE.with(|controller| {
            if let Some(controller) = controller {
                controller.abort();
            }
        });
    });
    let _ = window.add_event_listener_with_callback("pagehide", hide.as_ref().unchecked_ref());
    hide.forget();
    let show = Closure::<dyn Fn(web_sys::PageTransitionEvent)>::new(
        |event: web_sys::PageTransitionEvent| {
            if event.persisted() {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            }
        },
    );
    let _ = window.add_event_listener_with_callback("pageshow", show.as_ref().unchecked_ref());
    show.forget();
}
