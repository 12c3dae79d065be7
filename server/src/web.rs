//! Serving the built app: the HTML shell (with the branding inlined), hashed
//! assets with long cache lifetimes, precompressed files, SPA fallback and the
//! security headers.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use cuaso_domain::api::AppConfig;
use sha2::{Digest, Sha256};

/// The HTML shell, prepared once at start-up.
pub struct Shell {
    pub html: String,
    /// The Content-Security-Policy, with the hashes of the shell's inline scripts.
    pub csp: HeaderValue,
}

const PLACEHOLDER_HTML: &str = "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">\
<title>Cửa Số</title><p>The app has not been built yet: run <code>make run</code>.</p></html>";

impl Shell {
    /// Reads `dist/index.html`, inlines the branding and computes the CSP.
    pub fn load(dist: &Path, config: &AppConfig) -> Shell {
        let html = std::fs::read_to_string(dist.join("index.html")).unwrap_or_else(|e| {
            tracing::warn!(dist = %dist.display(), error = %e, "no built app; serving a placeholder");
            PLACEHOLDER_HTML.to_string()
        });
        Shell::from_html(&html, config)
    }

    pub fn from_html(html: &str, config: &AppConfig) -> Shell {
        // Escape '<' so the JSON can never close the script element.
        let json = serde_json::to_string(config)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        let tag = format!(r#"<script type="application/json" id="cuaso-config">{json}</script>"#);
        let html = match html.find("</head>") {
            Some(i) => format!("{}{}{}", &html[..i], tag, &html[i..]),
            None => format!("{tag}{html}"),
        };
        let hashes: Vec<String> = inline_scripts(&html)
            .into_iter()
            .map(|s| {
                let digest = Sha256::digest(s.as_bytes());
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
             img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; \
             manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; \
             form-action 'self'; frame-ancestors 'none'",
            hashes.join(" ")
        );
        Shell {
            html,
            csp: HeaderValue::from_str(&csp).expect("CSP is ASCII"),
        }
    }
}

/// The bodies of `<script>` elements that run inline: no `src`, and not a JSON data block.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let attrs = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        let is_data = attrs.contains("application/json") || attrs.contains("application/ld+json");
        if !attrs.contains(" src=") && !is_data && !body.trim().is_empty() {
            out.push(body);
        }
        rest = &after[body_start + close + "</script>".len()..];
    }
    out
}

/// `GET /` and every app route: the shell. Never cached, so a deploy is seen at once.
pub fn shell_response(shell: &Shell) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        shell.html.clone(),
    )
        .into_response()
}

/// File extensions that name an asset: a missing one is a 404, not the shell.
const ASSET_EXTENSIONS: &[&str] = &[
    "js",
    "mjs",
    "wasm",
    "css",
    "map",
    "svg",
    "png",
    "jpg",
    "jpeg",
    "webp",
    "avif",
    "gif",
    "ico",
    "json",
    "webmanifest",
    "txt",
    "woff",
    "woff2",
    "mp3",
    "ogg",
    "opus",
    "pdf",
    "br",
    "gz",
];

pub fn looks_like_asset(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    match last.rsplit_once('.') {
        Some((_, ext)) => ASSET_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
        None => false,
    }
}

/// Trunk names built assets `name-<hex hash>.ext` (or `name-<hex hash>_bg.wasm`).
pub fn is_hashed_asset(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    let stem = last.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        // Trunk writes a 64-bit hash in hex, without leading zeros.
        Some((_, h)) => (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

/// Code the build writes under fixed names: the lazy-route chunks and their
/// loader (scripts/split-wasm.sh), the service worker (scripts/make-sw.sh)
/// and the QR worker (qr/; Trunk does not hash worker names).
pub fn is_split_chunk(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last == "__wasm_split.js"
        || last == "sw.js"
        || last.starts_with("qrworker")
        || (last.ends_with(".wasm") && (last.starts_with("chunk_") || last.starts_with("split_")))
}

/// Sets Cache-Control where a handler did not: immutable for hashed assets,
/// a day for other static files, `no-cache` for the API.
pub async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let value = if path.starts_with("/api") || !res.status().is_success() {
        "no-cache"
    } else if is_split_chunk(&path) {
        // Lazy wasm chunks keep fixed names: revalidate, so a deploy never
        // pairs a new main module with an old chunk.
        "no-cache"
    } else if is_hashed_asset(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// Headers every response carries.
pub async fn security_headers(shell: Arc<Shell>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, shell.csp.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), geolocation=(self), microphone=(), payment=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// What to answer for a GET that no file matched.
pub fn fallback(shell: &Shell, path: &str) -> Response {
    if looks_like_asset(path) {
        (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-cache")],
            Body::from("not found"),
        )
            .into_response()
    } else {
        shell_response(shell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets() {
        assert!(is_hashed_asset("/cuaso-2c1a5b1e5f8d3b7a_bg.wasm"));
        assert!(is_hashed_asset("/cuaso-2c1a5b1e5f8d3b7a.js"));
        assert!(is_hashed_asset("/main-d41d8cd98f00b204.css"));
        assert!(is_hashed_asset("/cuaso-4c5cfae23fc43cb_bg.wasm"));
        assert!(!is_hashed_asset("/public/emblem.svg"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/services/1.001193"));
    }

    #[test]
    fn split_chunks() {
        assert!(is_split_chunk("/__wasm_split.js"));
        assert!(is_split_chunk("/qrworker_loader.js"));
        assert!(is_split_chunk("/sw.js"));
        assert!(is_split_chunk("/qrworker_bg.wasm"));
        assert!(is_split_chunk("/chunk_3.wasm"));
        assert!(is_split_chunk(
            "/split___services_route_view_8574708277803991896.wasm"
        ));
        assert!(!is_split_chunk("/cuaso-2c1a5b1e5f8d3b7a_bg.wasm"));
    }

    #[test]
    fn asset_paths() {
        assert!(looks_like_asset("/missing.js"));
        assert!(looks_like_asset("/public/x.SVG"));
        assert!(!looks_like_asset("/services/1.001193"));
        assert!(!looks_like_asset("/01/08930000000017/10/L2408"));
        assert!(!looks_like_asset("/sites/vinh-moc"));
    }

    #[test]
    fn csp_hashes_inline_scripts_but_not_data_or_external() {
        let html = r#"<html><head><script type="module">import init from '/a.js';init();</script>
<script src="/x.js"></script></head><body></body></html>"#;
        let shell = Shell::from_html(html, &AppConfig::default());
        assert!(shell.html.contains(r#"id="cuaso-config""#));
        let csp = shell.csp.to_str().unwrap();
        assert_eq!(csp.matches("'sha256-").count(), 1, "{csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(
            "import init from '/a.js';init();".as_bytes(),
        ));
        assert!(csp.contains(&expected));
    }

    #[test]
    fn config_json_cannot_break_out_of_its_script() {
        let mut c = AppConfig::default();
        c.province.vi = "</script><script>alert(1)</script>".into();
        let shell = Shell::from_html("<html><head></head></html>", &c);
        assert_eq!(shell.html.matches("</script>").count(), 1);
    }
}
