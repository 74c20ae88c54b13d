//! Which build of the app is running, shown on the About page.

/// The package version, followed by the build label given at compile time in
/// `GREENWATCH_BUILD_LABEL` (a release tag, a commit, or a test's marker).
pub fn build_label() -> String {
    let version = env!("CARGO_PKG_VERSION");
    match option_env!("GREENWATCH_BUILD_LABEL") {
        Some(label) if !label.trim().is_empty() => format!("{version} ({})", label.trim()),
        _ => version.to_owned(),
    }
}
