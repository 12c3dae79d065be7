//! The reference server, end to end in-process: a temporary SQLite database,
//! the real router, real requests.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use cuaso_domain::api::{AppConfig, Field, Health, Procedure, ProcedurePage};
use cuaso_domain::{ApiErrorBody, ErrorCode};
use cuaso_server::{build, Settings};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct TestServer {
    app: Router,
    _dir: tempfile::TempDir,
}

const INDEX: &str = r#"<!doctype html><html lang="vi"><head><title>Cửa Số</title>
<script type="module">import init from '/cuaso-0123456789abcdef.js';await init();</script>
</head><body><div id="boot"></div></body></html>"#;

async fn server() -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(dist.join("cuaso-0123456789abcdef_bg.wasm"), b"\0asm-plain").unwrap();
    std::fs::write(
        dist.join("cuaso-0123456789abcdef_bg.wasm.br"),
        b"brotli-bytes",
    )
    .unwrap();
    std::fs::create_dir_all(dist.join("public")).unwrap();
    std::fs::write(dist.join("public/emblem.svg"), "<svg/>").unwrap();
    let settings = Settings {
        config: AppConfig::default(),
        // Friday 2025-03-07, 10:00 in Vietnam: never the machine's clock.
        clock: cuaso_server::infra::clock::Clock::fixed(cuaso_server::infra::clock::vn_time(2025, 3, 7, 10, 0)),
        ..Settings::new(dir.path().join("data/cuaso.db"), dist)
    };
    let (app, _pool) = build(&settings).await.unwrap();
    TestServer { app, _dir: dir }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn error(&self) -> ApiErrorBody {
        assert_eq!(
            self.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/json",
            "errors are JSON"
        );
        self.json()
    }
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

impl TestServer {
    async fn request(&self, method: Method, uri: &str, accept_encoding: Option<&str>) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(enc) = accept_encoding {
            req = req.header(header::ACCEPT_ENCODING, enc);
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }
    async fn get(&self, uri: &str) -> Reply {
        self.request(Method::GET, uri, None).await
    }
}

#[tokio::test]
async fn health_reports_the_seeded_catalogue() {
    let s = server().await;
    let r = s.get("/api/v1/health").await;
    assert_eq!(r.status, StatusCode::OK);
    let h: Health = r.json();
    assert_eq!(h.status, "ok");
    // The service's clock (the tests' Friday), not the machine's.
    assert_eq!(h.now, "2025-03-07T10:00:00+07:00");
    assert!(
        h.procedures >= 30,
        "at least 30 seeded procedures, got {}",
        h.procedures
    );
}

#[tokio::test]
async fn fields_have_counts_that_add_up() {
    let s = server().await;
    let fields: Vec<Field> = s.get("/api/v1/fields").await.json();
    assert!(fields.len() >= 6);
    for code in [
        "ho-tich",
        "cu-tru",
        "dat-dai",
        "xay-dung",
        "ho-kinh-doanh",
        "ly-lich-tu-phap",
    ] {
        let f = fields
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("field {code}"));
        assert!(f.procedure_count > 0, "{code} has procedures");
    }
    let all: ProcedurePage = s.get("/api/v1/procedures").await.json();
    assert_eq!(
        fields.iter().map(|f| f.procedure_count).sum::<u32>(),
        all.total
    );
}

#[tokio::test]
async fn unaccented_search_puts_birth_registration_first() {
    let s = server().await;
    let page: ProcedurePage = s
        .get("/api/v1/procedures?q=dang%20ky%20khai%20sinh")
        .await
        .json();
    assert!(page.total >= 2);
    assert_eq!(page.items[0].name.vi, "Đăng ký khai sinh");
    assert_eq!(page.items[0].code, "1.001193");
    // '+' for spaces, as an HTML form sends it, works the same.
    let plus: ProcedurePage = s.get("/api/v1/procedures?q=dang+ky+khai+sinh").await.json();
    assert_eq!(plus.items, page.items);
    // So does the accented, shouted form.
    let accented: ProcedurePage = s
        .get("/api/v1/procedures?q=%C4%90%C4%82NG%20K%C3%9D%20KHAI%20SINH")
        .await
        .json();
    assert_eq!(accented.items, page.items);
}

#[tokio::test]
async fn search_filters_by_field_and_pages() {
    let s = server().await;
    let page: ProcedurePage = s.get("/api/v1/procedures?field=cu-tru").await.json();
    assert!(page.total >= 3);
    assert!(page.items.iter().all(|p| p.field == "cu-tru"));
    let p1: ProcedurePage = s.get("/api/v1/procedures").await.json();
    assert_eq!(p1.items.len(), 20);
    let p2: ProcedurePage = s.get("/api/v1/procedures?page=2").await.json();
    assert_eq!(p2.page, 2);
    assert!(
        p2.items.iter().all(|p| !p1.items.contains(p)),
        "pages do not overlap"
    );
    let far: ProcedurePage = s.get("/api/v1/procedures?page=999").await.json();
    assert!(far.items.is_empty());
    let none: ProcedurePage = s.get("/api/v1/procedures?q=xyzzy").await.json();
    assert_eq!(none.total, 0);
}

#[tokio::test]
async fn bad_query_parameters_get_a_typed_400_never_a_500() {
    let s = server().await;
    let long = "a".repeat(101);
    let cases = [
        (
            "/api/v1/procedures?page=abc",
            ErrorCode::InvalidParameter,
            "page",
        ),
        (
            "/api/v1/procedures?page=0",
            ErrorCode::InvalidParameter,
            "page",
        ),
        (
            "/api/v1/procedures?page=-3",
            ErrorCode::InvalidParameter,
            "page",
        ),
        (
            "/api/v1/procedures?page=99999999999999999999",
            ErrorCode::InvalidParameter,
            "page",
        ),
        (
            "/api/v1/procedures?field=%3Cscript%3E",
            ErrorCode::InvalidParameter,
            "field",
        ),
        (
            "/api/v1/procedures?field=khong-co",
            ErrorCode::UnknownField,
            "field",
        ),
    ];
    for (uri, code, field) in cases {
        let r = s.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        let e = r.error();
        assert_eq!(e.code, code, "{uri}");
        assert_eq!(e.field.as_deref(), Some(field), "{uri}");
    }
    let r = s.get(&format!("/api/v1/procedures?q={long}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().code, ErrorCode::TooLong);
    // Broken percent-encoding and stray bytes are not a crash either.
    let r = s.get("/api/v1/procedures?q=%E0%A4%A&page=1").await;
    assert!(r.status.is_success(), "{}", r.status);
}

#[tokio::test]
async fn procedure_detail_and_its_errors() {
    let s = server().await;
    let p: Procedure = s.get("/api/v1/procedures/1.001193").await.json();
    assert_eq!(p.name.vi, "Đăng ký khai sinh");
    assert!(!p.steps.is_empty() && !p.documents.is_empty() && !p.legal_basis.is_empty());
    assert_eq!(p.field_name.vi, "Hộ tịch");

    let r = s.get("/api/v1/procedures/not-a-code").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.error().code, ErrorCode::InvalidCode);
    let r = s.get("/api/v1/procedures/%FF%FE").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = s.get("/api/v1/procedures/9.999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::ProcedureNotFound);
}

#[tokio::test]
async fn every_seeded_procedure_is_complete_and_bilingual() {
    let s = server().await;
    let mut codes = Vec::new();
    for page in 1..=10 {
        let p: ProcedurePage = s
            .get(&format!("/api/v1/procedures?page={page}"))
            .await
            .json();
        codes.extend(p.items.iter().map(|i| i.code.clone()));
        if !p.has_more() {
            break;
        }
    }
    assert!(codes.len() >= 30);
    for code in codes {
        let p: Procedure = s.get(&format!("/api/v1/procedures/{code}")).await.json();
        assert!(cuaso_domain::api::is_procedure_code(&p.code), "{code}");
        assert!(
            !p.name.en.is_empty() && !p.name.vi.is_empty(),
            "{code} names"
        );
        assert!(p.steps.len() >= 2, "{code} steps");
        assert!(!p.documents.is_empty(), "{code} documents");
        assert!(
            !p.agency.vi.is_empty() && !p.agency.en.is_empty(),
            "{code} agency"
        );
        assert!(!p.legal_basis.is_empty(), "{code} legal basis");
        assert_eq!(
            p.online.can_apply_online(),
            p.channels.contains(&cuaso_domain::api::Channel::Online),
            "{code}: online level matches channels"
        );
    }
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_json() {
    let s = server().await;
    let r = s.get("/api/v1/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::NotFound);
    let r = s.get("/api/nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::NotFound);
    let r = s.request(Method::POST, "/api/v1/health", None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error().code, ErrorCode::MethodNotAllowed);
}

#[tokio::test]
async fn openapi_describes_the_routes() {
    let s = server().await;
    let doc: serde_json::Value = s.get("/api/v1/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/health",
        "/api/v1/fields",
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["components"]["schemas"]["ApiErrorBody"].is_object());
}

#[tokio::test]
async fn deep_links_get_the_shell_with_branding_and_no_cache() {
    let s = server().await;
    for uri in [
        "/",
        "/services/1.001193",
        "/01/08930000000019/10/L2408",
        "/s/vinh-moc",
        "/khong-co-trang-nay",
    ] {
        let r = s.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(r.header("content-type").starts_with("text/html"), "{uri}");
        assert_eq!(r.header("cache-control"), "no-cache", "{uri}");
        let html = r.text();
        assert!(
            html.contains(r#"<script type="application/json" id="cuaso-config">"#),
            "{uri}"
        );
        assert!(html.contains("Tỉnh Quảng Trị"), "{uri}");
    }
}

#[tokio::test]
async fn security_headers_allow_wasm_but_no_inline_script() {
    let s = server().await;
    let r = s.get("/").await;
    let csp = r.header("content-security-policy");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        csp.contains("'sha256-"),
        "the shell's module script is allowed by hash: {csp}"
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("x-frame-options"), "DENY");
    let r = s.get("/api/v1/health").await;
    assert!(r
        .header("content-security-policy")
        .contains("default-src 'self'"));
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_served_precompressed() {
    let s = server().await;
    let r = s
        .request(
            Method::GET,
            "/cuaso-0123456789abcdef_bg.wasm",
            Some("br, gzip"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-encoding"), "br");
    assert_eq!(r.body, b"brotli-bytes");
    assert_eq!(
        r.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    let r = s.get("/cuaso-0123456789abcdef_bg.wasm").await;
    assert_eq!(r.body, b"\0asm-plain", "no brotli without Accept-Encoding");
    let r = s.get("/public/emblem.svg").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("cache-control"), "public, max-age=86400");
    let r = s.get("/missing-0123456789abcdef.js").await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a missing asset is a 404, not the shell"
    );
}

#[tokio::test]
async fn api_json_is_compressed_when_accepted() {
    let s = server().await;
    let r = s
        .request(Method::GET, "/api/v1/procedures", Some("br"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-encoding"), "br");
}

#[tokio::test]
async fn reopening_the_database_does_not_seed_twice_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let pool = cuaso_server::infra::db::open(cuaso_server::infra::db::Target::File(&path))
        .await
        .unwrap();
    let (n1,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM procedures")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    pool.close().await;
    let pool = cuaso_server::infra::db::open(cuaso_server::infra::db::Target::File(&path))
        .await
        .unwrap();
    let (n2,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM procedures")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n1, n2);
    assert!(n1 >= 30);
}
