//! Entry point of the staff console (`staff/index.html`, served under `/staff/`):
//! its own wasm, so the citizen app's first load carries none of it.

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(greenwatch_staff::StaffApp);
}
