//! Security headers on every answer, and a Content-Security-Policy that
//! allows the wasm and exactly the build's inline script.

mod helpers;

use axum::body::Body;
use axum::http::Request;
use base64::Engine;
use helpers::{header, TestApp, CSS_NAME, WASM_NAME};
use sha2::{Digest, Sha256};

/// Shaped like trunk's output: one inline module script, a script with
/// `src`, a modulepreload with `integrity`.
const SCRIPT: &str = "\nimport init, * as bindings from '/greenwatch-app-0123456789abcdef.js';\nconst wasm = await init({ module_or_path: '/greenwatch-app-0123456789abcdef_bg.wasm' });\nwindow.wasmBindings = bindings;\n";

fn index_html() -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>GreenWatch</title>\n\
         <script type=\"module\">{SCRIPT}</script>\n\
         <link rel=\"modulepreload\" href=\"/greenwatch-app-0123456789abcdef.js\" crossorigin=\"anonymous\" integrity=\"sha384-abc\">\
         </head><body></body></html>"
    )
}

fn expected_hash() -> String {
    let digest = Sha256::digest(SCRIPT.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

const HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(self), microphone=(self), geolocation=(self)",
    ),
];

fn assert_secure(response: &axum::http::Response<Body>, what: &str) {
    for (name, value) in HEADERS {
        assert_eq!(header(response, name), value, "{name} on {what}");
    }
    let csp = header(response, "content-security-policy");
    assert!(csp.starts_with("default-src 'self';"), "{what}: {csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{what}: {csp}");
    assert!(!csp.contains("'unsafe-inline'"), "{what}: {csp}");
    assert!(!csp.contains("'unsafe-eval'"), "{what}: {csp}");
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
        "img-src 'self' blob: data:",
        "media-src 'self' blob:",
        "worker-src 'self'",
        "manifest-src 'self'",
        "style-src 'self'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(directive), "{what} lacks {directive}: {csp}");
    }
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers() {
    let app = TestApp::spawn_with(&index_html(), |_| {}).await;
    let cases = [
        ("/api/health", 200),
        ("/api/nothing-here", 404),
        ("/", 200),
        ("/reports/new", 200),
        (&format!("/{WASM_NAME}") as &str, 200),
        (&format!("/{CSS_NAME}") as &str, 200),
        ("/manifest.webmanifest", 200),
        ("/sw.js", 200),
        ("/missing-0123456789abcdef.wasm", 404),
    ];
    for (path, status) in cases {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert_secure(&response, path);
    }
    // A wrong method on an API route, and a compressed app file.
    let response = app
        .request(
            Request::delete("/api/health")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 405);
    assert_secure(&response, "DELETE /api/health");
    let response = app
        .request(
            Request::get(format!("/{WASM_NAME}"))
                .header("accept-encoding", "gzip")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(header(&response, "content-encoding"), "gzip");
    assert_secure(&response, "gzip wasm");
}

#[tokio::test]
async fn the_policy_allows_the_builds_inline_script_by_its_hash() {
    let app = TestApp::spawn_with(&index_html(), |_| {}).await;
    let expected = expected_hash();
    for path in ["/", "/api/health", "/reports/new"] {
        let response = app.get(path).await;
        let csp = header(&response, "content-security-policy");
        assert!(
            csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {expected};")),
            "{path}: {csp}"
        );
    }
}

#[tokio::test]
async fn a_build_deployed_while_running_gets_its_own_hash() {
    let app = TestApp::spawn_with(&index_html(), |_| {}).await;
    let before = app.get("/").await;
    assert!(header(&before, "content-security-policy").contains(&expected_hash()));
    // Another build's index.html, as `e2e/fixtures/server.ts` deploys one.
    let script = "\nimport init from '/greenwatch-app-fedcba9876543210.js';\nawait init();\n";
    let index = app.dist.path().join("index.html");
    std::fs::remove_file(&index).expect("remove");
    std::fs::write(
        &index,
        format!(
            "<!DOCTYPE html><html><head><script type=\"module\">{script}</script></head></html>"
        ),
    )
    .expect("deploy");
    let digest = Sha256::digest(script.as_bytes());
    let new_hash = format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    );
    for path in ["/", "/api/health"] {
        let response = app.get(path).await;
        let csp = header(&response, "content-security-policy");
        assert!(csp.contains(&new_hash), "{path}: {csp}");
        assert!(!csp.contains(&expected_hash()), "{path}: {csp}");
    }
}

#[tokio::test]
async fn without_inline_scripts_the_policy_has_no_hash() {
    // The default fake build has no script at all.
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    let csp = header(&response, "content-security-policy");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{csp}"
    );
    assert!(!csp.contains("sha256-"), "{csp}");
}
