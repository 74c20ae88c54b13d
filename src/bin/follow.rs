//! The follow-up build (My reports, a report, checking a case, About),
//! loaded when a person opens one of those pages: mount and nothing else.

fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(greenwatch_app::FollowApp);
}
