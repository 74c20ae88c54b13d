//! Home's way to the sending engine. Home is the first load, and its build
//! leaves the engine out: the engine's code (the sync machine's actions,
//! the requests, the canonical form and its SHA-256, the lock) was over a
//! quarter of Home's wasm (39 of 138 KB brotli), and a first visit has
//! nothing to send. Home looks
//! in the outbox after it has shown; when the device holds anything the
//! engine acts on (a report or support to send, a case to follow), it adds
//! the engine's own build (`src/bin/sync.rs`, served under `/sync/`) as a
//! module script: a second wasm that runs the same engine in this window,
//! under the same Web Lock as every other page's. The service worker
//! precaches that build with the others, so it starts offline too.

/// The module that starts the engine's build: written next to it by
/// `scripts/sw-precache.sh` from the build's `index.html` (trunk names its
/// files by their hash; this name stays).
pub const ENGINE_SCRIPT: &str = "/sync/start.js";

/// Adds the engine's module script to the page. Called again (Home shown
/// anew in place), the engine still starts once: the browser runs a module
/// once per page, however often its script is added.
pub fn load_engine() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let (Ok(script), Some(body)) = (document.create_element("script"), document.body()) else {
        return;
    };
    let _ = script.set_attribute("type", "module");
    let _ = script.set_attribute("src", ENGINE_SCRIPT);
    let _ = body.append_child(&script);
}
