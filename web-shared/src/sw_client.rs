//! The page's side of the service worker (`public/sw.js`): registration in
//! release builds, update detection, and the switch to a new build when the
//! person agrees.
//!
//! A new build's worker installs in the background and then waits; the page
//! shows the update banner, and only "Update now" tells the waiting worker to
//! take over (message [`SKIP_WAITING`]); the page reloads once it controls it.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

/// The message that tells a waiting worker to activate (see `public/sw.js`).
pub const SKIP_WAITING: &str = "skip-waiting";

/// How often an open page asks the server for a new build.
const UPDATE_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// What the UI needs: is an update waiting, and how to apply it.
#[derive(Clone, Copy)]
pub struct UpdateHandle {
    waiting: RwSignal<bool>,
    applying: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
}

impl UpdateHandle {
    pub fn is_waiting(&self) -> bool {
        self.waiting.get()
    }

    /// Lets the waiting build take over; the page reloads when it has.
    pub fn apply(&self) {
        self.applying.set(true);
        self.registration.with_value(|registration| {
            if let Some(worker) = registration.as_ref().and_then(|r| r.waiting()) {
                let _ = worker.post_message(&JsValue::from_str(SKIP_WAITING));
            }
        });
    }
}

/// Registers the worker (release builds only) and starts watching for updates.
pub fn start() -> UpdateHandle {
    let handle = UpdateHandle {
        waiting: RwSignal::new(false),
        applying: RwSignal::new(false),
        registration: StoredValue::new_local(None),
    };
    if cfg!(debug_assertions) {
        return handle;
    }
    let Some(container) = container() else {
        return handle;
    };
    reload_when_taken_over(&container, handle);
    let registering = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(registration) = JsFuture::from(registering).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        handle.registration.set_value(Some(registration.clone()));
        watch_for_updates(&registration, &container, handle);
        check_for_updates_when_visible(handle);
    });
    handle
}

/// Whether a page of another build can open now: the browser is online,
/// or the service worker controls this page (so it has the app's builds
/// cached). Offline on a first visit, before the worker's first install
/// has finished, it cannot: loading it would show the browser's error page.
pub fn other_pages_open() -> bool {
    let online = web_sys::window().is_none_or(|window| window.navigator().on_line());
    online || container().is_some_and(|container| container.controller().is_some())
}

/// `navigator.serviceWorker`, where the browser has it (secure contexts).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let has = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    has.then(|| navigator.service_worker())
}

fn reload_when_taken_over(container: &ServiceWorkerContainer, handle: UpdateHandle) {
    // The first install also changes the controller (clients.claim): only a
    // change the person asked for reloads the page.
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if handle.applying.get_untracked() {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
}

fn watch_for_updates(
    registration: &ServiceWorkerRegistration,
    container: &ServiceWorkerContainer,
    handle: UpdateHandle,
) {
    let controlled = {
        let container = container.clone();
        move || container.controller().is_some()
    };
    // A build that finished installing before this page loaded.
    if registration.waiting().is_some() && controlled() {
        handle.waiting.set(true);
    }
    let watched = registration.clone();
    let on_update_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = watched.installing() else {
            return;
        };
        let worker = installing.clone();
        let controlled = controlled.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            // With no controller this is the first install, not an update.
            if worker.state() == ServiceWorkerState::Installed && controlled() {
                handle.waiting.set(true);
            }
        });
        installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
}

/// Asks for a new build when the page comes back into view, and every half
/// hour while it stays open.
fn check_for_updates_when_visible(handle: UpdateHandle) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let visible_document = document.clone();
    let on_visibility = Closure::<dyn FnMut()>::new(move || {
        if visible_document.visibility_state() == web_sys::VisibilityState::Visible {
            check_now(handle);
        }
    });
    let _ = document.add_event_listener_with_callback(
        "visibilitychange",
        on_visibility.as_ref().unchecked_ref(),
    );
    on_visibility.forget();
    set_interval(move || check_now(handle), UPDATE_CHECK_EVERY);
}

fn check_now(handle: UpdateHandle) {
    let update = handle
        .registration
        .with_value(|registration| registration.as_ref().map(|r| r.update()));
    if let Some(Ok(promise)) = update {
        // Offline the check fails; the next one will try again.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}
