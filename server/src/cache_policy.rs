//! Which `Cache-Control` each file of the built app gets.
//!
//! trunk names the files it fingerprints `name-<hex hash>.ext` (and
//! `name-<hash>_bg.wasm`); their content never changes under that name, so
//! they are cached for a year as immutable. The entry points that name them
//! (`index.html`, the manifest, the service worker) must never be cached, or a
//! new build would not be seen. Anything else is revalidated every time.

/// The `Cache-Control` value for a successful response to `path`.
pub fn cache_control_for(path: &str) -> &'static str {
    let file = path.rsplit('/').next().unwrap_or_default();
    if path == crate::transparency::CSS_PATH {
        // The transparency page's style sheet: a constant of the server.
        "public, max-age=3600"
    } else if is_fingerprinted(file) {
        "public, max-age=31536000, immutable"
    } else if is_entry_point(path) {
        "no-store"
    } else {
        "no-cache"
    }
}

/// An entry point: a route answered with `index.html`, the manifest, or the
/// service worker.
fn is_entry_point(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    !file.contains('.') || matches!(file, "index.html" | "manifest.webmanifest" | "sw.js")
}

/// `name-0123456789abcdef.js`, `name-0123456789abcdef_bg.wasm`, `main-abcdef12.css`.
fn is_fingerprinted(file: &str) -> bool {
    let Some((stem, _ext)) = file.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_name, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR: &str = "public, max-age=31536000, immutable";

    #[test]
    fn hashed_build_files_are_immutable() {
        assert_eq!(
            cache_control_for("/greenwatch-app-9f86d081884c7d65.js"),
            YEAR
        );
        assert_eq!(
            cache_control_for("/greenwatch-app-9f86d081884c7d65_bg.wasm"),
            YEAR
        );
        assert_eq!(cache_control_for("/main-1a2b3c4d5e6f7a8b.css"), YEAR);
    }

    #[test]
    fn entry_points_are_never_cached() {
        for path in [
            "/",
            "/index.html",
            "/manifest.webmanifest",
            "/sw.js",
            "/report/new",
            "/about",
        ] {
            assert_eq!(cache_control_for(path), "no-store", "{path}");
        }
    }

    #[test]
    fn the_transparency_style_sheet_is_cached_an_hour() {
        assert_eq!(
            cache_control_for("/transparency.css"),
            "public, max-age=3600"
        );
        // The page itself is generated on each request.
        assert_eq!(cache_control_for("/transparency"), "no-store");
    }

    #[test]
    fn unhashed_files_are_revalidated() {
        assert_eq!(cache_control_for("/icons/icon-192.png"), "no-cache");
        // A dash followed by something that is not a hash is not a fingerprint.
        assert_eq!(cache_control_for("/icons/icon-maskable.png"), "no-cache");
        assert_eq!(cache_control_for("/some-file.js"), "no-cache");
    }
}
