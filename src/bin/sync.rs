//! The sending engine's own build (`/sync/`), with no page: Home loads it
//! when the device holds something to send or follow (see
//! `greenwatch_app::sync::deferred`).

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    greenwatch_app::sync::run_alone();
}
