//! Security headers on every answer: API, app files, errors and the SPA
//! fallback alike.
//!
//! The Content-Security-Policy allows the app's own files and nothing else.
//! trunk writes one inline `<script type="module">` into `index.html` (it
//! imports the wasm-bindgen glue and starts the wasm), so at startup the
//! server reads `<dist>/index.html` and allows exactly those inline scripts
//! by their SHA-256 (`'sha256-…'`), and reads it again when it changes (a
//! deployment replaces the folder's files while the server runs). `'wasm-unsafe-eval'` lets the page
//! compile WebAssembly; `'unsafe-inline'` and `'unsafe-eval'` are never sent.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// The headers every answer carries besides the Content-Security-Policy.
pub const STATIC_HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(self), microphone=(self), geolocation=(self)",
    ),
];

/// The Content-Security-Policy for a build whose inline scripts have
/// `script_hashes` (each already in `'sha256-…'` form).
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; \
         img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// `'sha256-<base64>'` of a script's text, as CSP compares it.
pub fn csp_hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The text of each inline `<script>` (one without `src`) in `html`, with
/// line endings normalised as the browser's HTML parser does.
pub fn inline_scripts(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| i + from) {
        let after_name = start + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[after_name..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            from = after_name;
            continue;
        }
        let Some(open_end) = lower[after_name..].find('>').map(|i| i + after_name) else {
            break;
        };
        let Some(close) = lower[open_end..].find("</script").map(|i| i + open_end) else {
            break;
        };
        if !has_src(&lower[after_name..open_end]) {
            let text = &html[open_end + 1..close];
            scripts.push(text.replace("\r\n", "\n").replace('\r', "\n"));
        }
        from = close + "</script".len();
    }
    scripts
}

/// True if a (lower-cased) tag's attributes include `src`.
fn has_src(attributes: &str) -> bool {
    attributes
        .split(|c: char| c.is_ascii_whitespace() || c == '/')
        .filter_map(|part| part.split('=').next())
        .any(|name| name == "src")
}

/// The HTML entry points of a build: the citizen app's three (Home, the
/// report form under `/report/`, the follow-up pages under `/follow/`), the
/// staff console and Learn (their own trunk entries, under `/staff/` and
/// `/learn/`).
const ENTRY_POINTS: [&str; 5] = [
    "index.html",
    "report/index.html",
    "follow/index.html",
    "staff/index.html",
    "learn/index.html",
];

/// The CSP hashes of the entry points' inline scripts, each once; none for
/// an entry point that is not built there.
pub fn script_hashes(dist_dir: &Path) -> Vec<String> {
    let mut hashes: Vec<String> = Vec::new();
    for hash in ENTRY_POINTS
        .iter()
        .filter_map(|entry| std::fs::read_to_string(dist_dir.join(entry)).ok())
        .flat_map(|html| inline_scripts(&html))
        .map(|script| csp_hash(&script))
    {
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }
    hashes
}

/// What tells one `index.html` from another without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        modified: metadata.modified().ok(),
        len: metadata.len(),
        inode,
    })
}

/// The Content-Security-Policy header for the build in a dist folder.
///
/// Computed at startup, and again whenever an entry point changes (a new
/// build deployed into the folder while the server runs has other inline
/// scripts, which the old hashes would block); each answer costs a `stat`
/// per entry point.
#[derive(Debug, Clone)]
pub struct CspSource {
    dist_dir: PathBuf,
    current: Arc<Mutex<([Option<Stamp>; ENTRY_POINTS.len()], HeaderValue)>>,
}

fn stamps(dist_dir: &Path) -> [Option<Stamp>; ENTRY_POINTS.len()] {
    ENTRY_POINTS.map(|entry| stamp(&dist_dir.join(entry)))
}

impl CspSource {
    /// Reads the entry points now.
    pub fn new(dist_dir: &Path) -> Self {
        Self {
            dist_dir: dist_dir.to_path_buf(),
            current: Arc::new(Mutex::new((stamps(dist_dir), policy_header(dist_dir)))),
        }
    }

    /// The policy for the entry points in the folder now.
    pub fn header(&self) -> HeaderValue {
        let now = stamps(&self.dist_dir);
        let mut current = self
            .current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if current.0 != now {
            *current = (now, policy_header(&self.dist_dir));
            tracing::info!(header = ?current.1, "entry point changed; new Content-Security-Policy");
        }
        current.1.clone()
    }
}

fn policy_header(dist_dir: &Path) -> HeaderValue {
    let csp = content_security_policy(&script_hashes(dist_dir));
    HeaderValue::from_str(&csp).unwrap_or_else(|_| {
        // Hashes are base64: this cannot happen, but never answer without a policy.
        HeaderValue::from_static("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'")
    })
}

async fn set_csp(State(source): State<CspSource>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, source.header());
    response
}

/// Adds every security header to every answer of `router`.
pub fn with_security_headers<S>(router: Router<S>, dist_dir: &Path) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let mut router = router.layer(middleware::from_fn_with_state(
        CspSource::new(dist_dir),
        set_csp,
    ));
    for (name, value) in STATIC_HEADERS {
        router = router.layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        ));
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_scripts() {
        let html = "<head><script src=\"/a.js\"></script>\r\n<SCRIPT type=\"module\">\r\nlet a = 1;\r\n</SCRIPT>\
                    <scripts>no</scripts><script>b()</script></head>";
        assert_eq!(inline_scripts(html), vec!["\nlet a = 1;\n", "b()"]);
    }

    #[test]
    fn every_entry_points_inline_scripts_are_allowed() {
        let dist = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dist.path().join("staff")).expect("staff dir");
        std::fs::write(dist.path().join("index.html"), "<script>app()</script>").expect("write");
        assert_eq!(script_hashes(dist.path()), vec![csp_hash("app()")]);
        std::fs::write(
            dist.path().join("staff/index.html"),
            "<script>staff()</script>",
        )
        .expect("write");
        assert_eq!(
            script_hashes(dist.path()),
            vec![csp_hash("app()"), csp_hash("staff()")]
        );
        std::fs::create_dir_all(dist.path().join("learn")).expect("learn dir");
        std::fs::write(
            dist.path().join("learn/index.html"),
            "<script>learn()</script>",
        )
        .expect("write");
        assert_eq!(
            script_hashes(dist.path()),
            vec![csp_hash("app()"), csp_hash("staff()"), csp_hash("learn()")]
        );
    }

    #[test]
    fn hash_is_base64_sha256_with_padding() {
        // SHA-256 of the empty string.
        assert_eq!(
            csp_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    #[test]
    fn policy_allows_wasm_and_no_unsafe_script() {
        let csp = content_security_policy(&["'sha256-x'".into()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-x';"));
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"));
        assert!(HeaderValue::from_str(&csp).is_ok());
    }
}
