//! Entry point of the Learn section (`learn/index.html`, served under `/learn/`):
//! its own wasm, so the citizen app's first load carries none of it; the
//! service worker caches it after the first load for offline use.

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(greenwatch_learn::LearnApp);
}
