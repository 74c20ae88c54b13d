//! Entry point of the wasm app: the allocator, then mount and nothing else.

/// Talc instead of the default dlmalloc: smaller code (the first load has a
/// 200 KiB budget) and faster; the app is single-threaded.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    // Readable panics in development; release builds keep the wasm small.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(greenwatch_app::App);
}
