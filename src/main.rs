//! Entry point of the wasm app: mount and nothing else.

fn main() {
    // Readable panics in development; release builds keep the wasm small.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(greenwatch_app::App);
}
