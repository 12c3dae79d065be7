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
    /// The lazy wasm chunks, read from the build's `__wasm_split.js`.
    pub chunks: Chunks,
    /// The page strings bundle of each language: `("vi", "strings-vi-<hash>.txt")`.
    pub strings: Vec<(String, String)>,
}

/// What each lazy part of the app (`pages/lazy.rs`: `products`, `tourism`,
/// `strings_fetch`, …) fetches: its own `split_*.wasm` and the shared
/// `chunk_*.wasm` files it needs, as the build's chunk loader lists them.
#[derive(Default, Debug)]
pub struct Chunks {
    files: std::collections::HashMap<String, String>,
    deps: std::collections::HashMap<String, Vec<String>>,
}

impl Chunks {
    /// Reads the loader `scripts/split-wasm.sh` wrote (wasm-split's format:
    /// `const __chunk_N = makeLoad(() => { … new URL("./chunk_N.wasm" … }, [deps]);`
    /// and `export const __wasm_split_load_NAME = wrapAsyncCb(makeLoad(…, [deps]));`).
    pub fn parse(js: &str) -> Chunks {
        let mut c = Chunks::default();
        let mut current: Option<String> = None;
        for line in js.lines() {
            let line = line.trim();
            let decl = line
                .strip_prefix("export ")
                .unwrap_or(line)
                .strip_prefix("const ");
            if let Some((name, _)) = decl
                .and_then(|d| d.split_once(" = "))
                .filter(|(_, rest)| rest.contains("makeLoad("))
            {
                let name = name.strip_prefix("__wasm_split_load_").unwrap_or(name);
                current = Some(name.to_string());
                continue;
            }
            let Some(name) = current.clone() else {
                continue;
            };
            if let Some((_, after)) = line.split_once("new URL(\"./") {
                if let Some((file, _)) = after.split_once('"') {
                    c.files.insert(name.clone(), file.to_string());
                }
            } else if let Some(list) = line.strip_prefix(", [") {
                let list = list.split(']').next().unwrap_or("");
                let deps = list
                    .split(',')
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect();
                c.deps.insert(name, deps);
                current = None;
            }
        }
        c
    }

    /// The files `parts` fetch, each once, the parts' own files first.
    pub fn files_of(&self, parts: &[&str]) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut todo: Vec<&str> = parts.to_vec();
        let mut seen = std::collections::HashSet::new();
        while let Some(name) = (!todo.is_empty()).then(|| todo.remove(0)) {
            if !seen.insert(name) {
                continue;
            }
            if let Some(f) = self.files.get(name) {
                out.push(f);
            }
            if let Some(d) = self.deps.get(name) {
                todo.extend(d.iter().map(String::as_str));
            }
        }
        out
    }
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
        let mut shell = Shell::from_html(&html, config);
        if let Ok(js) = std::fs::read_to_string(dist.join("__wasm_split.js")) {
            shell.chunks = Chunks::parse(&js);
        }
        if let Ok(dir) = std::fs::read_dir(dist) {
            for e in dir.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let lang = name
                    .strip_prefix("strings-")
                    .and_then(|r| r.split_once('-'));
                if let (Some((lang, _)), true) = (lang, name.ends_with(".txt")) {
                    shell.strings.push((lang.to_string(), name.clone()));
                }
            }
        }
        shell
    }

    /// `html` (this shell, maybe with preview tags) with preload hints for
    /// what a deep link's page fetches once the main wasm runs: the lazy
    /// `parts` and the page strings in `lang` (else Vietnamese). They then
    /// download beside the main wasm instead of after it. Only deep links get
    /// them: `/` stays as small as it is.
    pub fn with_preloads(&self, html: &str, parts: &[&str], lang: &str) -> String {
        let mut files = self.chunks.files_of(parts);
        let strings = |l: &str| {
            self.strings
                .iter()
                .find(|(x, _)| x == l)
                .map(|(_, f)| f.as_str())
        };
        if let Some(f) = strings(lang).or_else(|| strings("vi")) {
            files.push(f);
        }
        // The chunk loader first: the JS glue imports it, so the main wasm
        // cannot start before it arrives, and it must not queue behind the
        // chunks on a slow link.
        let loader = if self.chunks.files.is_empty() {
            String::new()
        } else {
            r#"<link rel="modulepreload" href="/__wasm_split.js" crossorigin="anonymous">"#.into()
        };
        let tags: String = std::iter::once(loader)
            .chain(
                files
                    .iter()
                    .filter(|f| {
                        f.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
                    })
                    .map(|f| {
                        format!(
                            r#"<link rel="preload" href="/{f}" as="fetch" crossorigin="anonymous">"#
                        )
                    }),
            )
            .collect();
        let mut out = html.to_string();
        match out.find("</head>") {
            Some(i) => out.insert_str(i, &tags),
            None => out.insert_str(0, &tags),
        }
        out
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
            chunks: Chunks::default(),
            strings: Vec::new(),
        }
    }
}

/// The shell with the API answer the page at this path shows first, so the
/// app does not ask for it again on a slow link (`src/api.rs` takes it once):
/// `<script type="application/json" id="cuaso-data" data-kind="{kind}">`
/// before `</body>`, after the loading screen. Every `<` in the JSON is
/// escaped, so it can never close the element; a data block does not run, so
/// the CSP stays as it is.
pub fn with_data(html: &str, kind: &str, json: &str) -> String {
    debug_assert!(kind.bytes().all(|b| b.is_ascii_lowercase()));
    let tag = format!(
        r#"<script type="application/json" id="cuaso-data" data-kind="{kind}">{}</script>"#,
        json.replace('<', "\\u003c")
    );
    let mut out = html.to_string();
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, &tag),
        None => out.push_str(&tag),
    }
    out
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

/// What the server's HTML pages (the GS1 resolver's, the sites' link
/// previews) reach: the state and the shell.
pub struct Pages {
    pub state: Arc<crate::AppState>,
    pub shell: Arc<Shell>,
}

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The shell with `tags` (which hold their own `<title>`) before
/// `</head>`, the shell's own title removed. `tags` must be escaped.
pub fn with_head_tags(shell: &str, tags: &str) -> String {
    let mut html = shell.to_string();
    if let (Some(a), Some(b)) = (html.find("<title>"), html.find("</title>")) {
        if a < b {
            html.replace_range(a..b + "</title>".len(), "");
        }
    }
    match html.find("</head>") {
        Some(i) => html.insert_str(i, tags),
        None => html.insert_str(0, tags),
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(
            escape(r#"</title><script>alert('x' & "y")</script>"#),
            "&lt;/title&gt;&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
    }

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
    fn preloads_what_a_lazy_part_fetches() {
        let js = r#"import { initSync } from "./cuaso-1234567890abcdef.js";
/* a, b */
const __chunk_1 = makeLoad(() => {
    const src = fetch(new URL("./chunk_1.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
const __chunk_2 = makeLoad(() => {
    const src = fetch(new URL("./chunk_2.wasm", import.meta.url));
}
, [__chunk_1]);
export const __wasm_split_load_products = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_products.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_2, __chunk_1]));
export const __wasm_split_load_tourism = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_tourism.wasm", import.meta.url));
}
, [__chunk_1]));
"#;
        let mut shell = Shell::from_html(
            "<html><head></head><body></body></html>",
            &AppConfig::default(),
        );
        shell.chunks = Chunks::parse(js);
        assert_eq!(
            shell.chunks.files_of(&["products"]),
            vec!["split_products.wasm", "chunk_2.wasm", "chunk_1.wasm"]
        );
        assert_eq!(
            shell.chunks.files_of(&["tourism", "products"]),
            vec![
                "split_tourism.wasm",
                "split_products.wasm",
                "chunk_1.wasm",
                "chunk_2.wasm"
            ]
        );
        assert!(shell.chunks.files_of(&["nothing"]).is_empty());
        shell.strings = vec![("vi".into(), "strings-vi-0123456789abcdef.txt".into())];
        let html = shell.with_preloads(&shell.html, &["tourism"], "ko");
        assert!(html.contains(r#"<link rel="modulepreload" href="/__wasm_split.js" crossorigin="anonymous"><link rel="preload" href="/split_tourism.wasm" as="fetch" crossorigin="anonymous"><link rel="preload" href="/chunk_1.wasm" as="fetch" crossorigin="anonymous"><link rel="preload" href="/strings-vi-0123456789abcdef.txt" as="fetch" crossorigin="anonymous"></head>"#), "{html}");
        // The plain shell has none.
        assert!(!shell.html.contains("preload"));
    }

    #[test]
    fn preloads_the_built_apps_chunks() {
        // The real loader, when the app has been built: the tourism part
        // and its shared chunks are found.
        let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist");
        let Ok(js) = std::fs::read_to_string(dist.join("__wasm_split.js")) else {
            return;
        };
        let files = Chunks::parse(&js).files_of(&["tourism"]).len();
        assert!(files > 1, "{files}");
    }

    #[test]
    fn inlined_data_is_one_json_block_that_cannot_break_out() {
        let shell = Shell::from_html(
            "<html><head><script type=\"module\">init();</script></head><body><p>x</p></body></html>",
            &AppConfig::default(),
        );
        let json = serde_json::json!({"name": "</script><script>alert(1)</script><!--", "n": 1})
            .to_string();
        let html = with_data(&shell.html, "site", &json);
        assert_eq!(html.matches("</script>").count(), 3, "{html}");
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<!--"));
        let start = html
            .find(r#"<script type="application/json" id="cuaso-data" data-kind="site">"#)
            .unwrap();
        assert!(
            start > html.find("<p>x</p>").unwrap(),
            "after the loading screen"
        );
        let body = &html[start..];
        let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
        let back: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script><!--");
        // Data blocks are not hashed into the CSP: it stays the shell's.
        assert_eq!(inline_scripts(&html), vec!["init();"]);
    }

    #[test]
    fn config_json_cannot_break_out_of_its_script() {
        let mut c = AppConfig::default();
        c.province.vi = "</script><script>alert(1)</script>".into();
        let shell = Shell::from_html("<html><head></head></html>", &c);
        assert_eq!(shell.html.matches("</script>").count(), 1);
    }
}
