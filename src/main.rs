//! Home's build, the citizen app's first load: mount and nothing else (the
//! allocator is the library's).

fn main() {
    // Readable panics in development; release builds keep the wasm small.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(greenwatch_app::App);
}
