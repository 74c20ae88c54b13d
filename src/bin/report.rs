//! The report form's build (`/report/new`), loaded when a person opens the
//! form: mount and nothing else.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(greenwatch_app::ReportApp);
}
