//! Tourism sites: the list and the site in four languages with their
//! fallback, nearby sites, ETags, the plate's QR code (decoded back), link
//! previews, and the seed. Exact content comes from the fixture
//! `tests/fixtures/sites.json` (7 sites: `vinh-moc` in vi/en/ko/zh,
//! `hien-luong` vi/en/ko, `cua-tung` vi only, `truong-son` and `thanh-co`
//! and `con-co` vi/en, `khe-sanh` vi/zh); the compiled-in `seed/sites.json`
//! is checked for properties that do not depend on its words.

mod common;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use common::{friday, server_with, Reply, TestServer};
use cuaso_domain::site::{distance_m, Site, SiteList, SiteRecord, Voice};
use cuaso_domain::ErrorCode;
use cuaso_server::sites;
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/sites.json");
const SHELL: &str = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">\
<title>Cửa Số</title></head><body></body></html>";
const FIXTURE_ORDER: [&str; 7] = [
    "vinh-moc",
    "hien-luong",
    "cua-tung",
    "truong-son",
    "thanh-co",
    "con-co",
    "khe-sanh",
];

async fn server_on(json: String) -> TestServer {
    server_with(friday(), |s| {
        s.sites_json = Some(json);
        std::fs::write(s.dist.join("index.html"), SHELL).unwrap();
    })
    .await
}

async fn server() -> TestServer {
    server_on(FIXTURE.to_string()).await
}

/// The compiled-in seed, with the test shell.
async fn seed_server() -> TestServer {
    server_with(friday(), |s| {
        std::fs::write(s.dist.join("index.html"), SHELL).unwrap();
    })
    .await
}

async fn req(t: &TestServer, uri: &str, headers: &[(&str, &str)]) -> Reply {
    t.send(Method::GET, uri, headers, Body::empty()).await
}

fn header_of<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

/// The fixture with `f` applied to its JSON.
fn fixture_with(f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(FIXTURE).unwrap();
    f(&mut v);
    v.to_string()
}

fn site_of(v: &mut Value, slug: &str) -> usize {
    v.as_array()
        .unwrap()
        .iter()
        .position(|s| s["slug"] == slug)
        .unwrap()
}

#[tokio::test]
async fn list_in_vietnamese_english_and_korean() {
    let t = server().await;
    // No lang: Vietnamese, in seed order.
    let r = t.get("/api/v1/sites").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(header_of(&r, "content-language"), "vi");
    let l: SiteList = r.json();
    assert_eq!(l.requested_lang, "vi");
    let slugs: Vec<&str> = l.sites.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(slugs, FIXTURE_ORDER);
    assert!(l.sites.iter().all(|s| s.lang == "vi"));
    assert_eq!(l.sites[0].name, "Địa đạo Vịnh Mốc");
    let photo = l.sites[0].photo.as_ref().unwrap();
    assert_eq!(photo.src, "/public/sites/vinh-moc-1.svg");
    assert_eq!(
        (photo.alt.as_str(), photo.alt_lang.as_str()),
        ("Lối vào địa đạo", "vi")
    );
    assert!(l.sites[2].photo.is_none(), "cua-tung has no photo");
    assert_eq!(l.sites[0].version.len(), 16);

    // English: the sites written only in Vietnamese (and Chinese) stay Vietnamese.
    let l: SiteList = t.get("/api/v1/sites?lang=en").await.json();
    assert_eq!(l.requested_lang, "en");
    let langs: Vec<&str> = l.sites.iter().map(|s| s.lang.as_str()).collect();
    assert_eq!(langs, ["en", "en", "vi", "en", "en", "en", "vi"]);
    assert_eq!(l.sites[0].name, "Vinh Moc Tunnels");
    assert_eq!(l.sites[0].summary, "An underground village (test fixture).");

    // Korean, also as a regional tag; English next, then Vietnamese.
    for tag in ["ko", "ko-KR", "KO_kr"] {
        let r = t.get(&format!("/api/v1/sites?lang={tag}")).await;
        assert_eq!(r.status, StatusCode::OK, "{tag}");
        assert_eq!(header_of(&r, "content-language"), "ko, en, vi", "{tag}");
        let l: SiteList = r.json();
        assert_eq!(l.requested_lang, "ko", "{tag}");
        let langs: Vec<&str> = l.sites.iter().map(|s| s.lang.as_str()).collect();
        assert_eq!(langs, ["ko", "ko", "vi", "en", "en", "en", "vi"], "{tag}");
        assert_eq!(l.sites[0].name, "빈목 터널");
        let p = l.sites[0].photo.as_ref().unwrap();
        assert_eq!((p.alt.as_str(), p.alt_lang.as_str()), ("터널 입구", "ko"));
        // Truong Son's photo has only a Vietnamese alt.
        let p = l.sites[3].photo.as_ref().unwrap();
        assert_eq!(
            (p.alt.as_str(), p.alt_lang.as_str()),
            ("Đài tưởng niệm", "vi")
        );
    }
    // Chinese: Khe Sanh has it, Hiền Lương falls back to English.
    let l: SiteList = t.get("/api/v1/sites?lang=zh-Hans-CN").await.json();
    assert_eq!(l.requested_lang, "zh");
    assert_eq!(l.sites[0].lang, "zh");
    assert_eq!(l.sites[1].lang, "en");
    assert_eq!(l.sites[6].name, "塔空机场");
}

#[tokio::test]
async fn an_unsupported_language_falls_back_to_english_and_says_so() {
    let t = server().await;
    for tag in ["fr", "fr-CA", "FR"] {
        let r = t.get(&format!("/api/v1/sites?lang={tag}")).await;
        assert_eq!(r.status, StatusCode::OK, "{tag}");
        let l: SiteList = r.json();
        assert_eq!(l.requested_lang, "fr", "{tag}");
        assert_eq!(l.sites[0].lang, "en");
        assert_eq!(l.sites[0].name, "Vinh Moc Tunnels");
        assert_eq!(l.sites[2].lang, "vi", "no English for cua-tung");
        assert_eq!(header_of(&r, "content-language"), "en, vi");
    }
    let r = t.get("/api/v1/sites/vinh-moc?lang=de-AT").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(header_of(&r, "content-language"), "en");
    let s: Site = r.json();
    assert_eq!((s.requested_lang.as_str(), s.lang.as_str()), ("de", "en"));
    assert_eq!(s.text.name, "Vinh Moc Tunnels");
}

#[tokio::test]
async fn a_malformed_language_is_a_typed_400_and_never_echoed() {
    let t = server().await;
    for bad in [
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "",
        "e",
        "toolonglang",
        "en-",
        "en--us",
        "en%20us",
        "e1",
        "en-abcdefghi",
        "%E1%BB%87n",
    ] {
        for path in ["/api/v1/sites", "/api/v1/sites/vinh-moc"] {
            let r = t.get(&format!("{path}?lang={bad}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}?lang={bad}");
            let e = r.error();
            assert_eq!(e.code, ErrorCode::InvalidParameter);
            assert_eq!(e.field.as_deref(), Some("lang"));
            assert!(!r.text().contains("script"), "{}", r.text());
        }
    }
}

#[tokio::test]
async fn a_site_with_its_nearest_neighbours() {
    let t = server().await;
    let r = t.get("/api/v1/sites/vinh-moc?lang=en").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(header_of(&r, "content-language"), "en");
    let s: Site = r.json();
    assert_eq!(s.slug, "vinh-moc");
    assert_eq!((s.requested_lang.as_str(), s.lang.as_str()), ("en", "en"));
    assert_eq!(s.text.name, "Vinh Moc Tunnels");
    assert_eq!(s.text.sections[0].title, "History");
    assert_eq!(s.commune, "Xã Vĩnh Hoàng");
    let audio = s.audio.as_ref().unwrap();
    assert_eq!(audio.src, "/public/sites/audio/vinh-moc.en.mp3");
    assert_eq!(audio.voice, Voice::Machine);
    assert_eq!(r.value()["audio"]["voice"], "machine");
    assert_eq!(s.tickets.as_ref().unwrap()[0].price_vnd, 50000);
    assert_eq!(s.hours.weekly.len(), 2);
    assert_eq!(s.photos[0].alt, "The tunnel entrance");
    // Five of the six others, nearest first, never itself.
    let names: Vec<&str> = s.nearby.iter().map(|n| n.slug.as_str()).collect();
    assert_eq!(
        names,
        ["cua-tung", "hien-luong", "truong-son", "con-co", "thanh-co"]
    );
    let records: Vec<SiteRecord> = serde_json::from_str(FIXTURE).unwrap();
    let me = &records[0];
    for n in &s.nearby {
        let other = records.iter().find(|r| r.slug == n.slug).unwrap();
        let d = distance_m(me.lat, me.lon, other.lat, other.lon).round() as u32;
        assert_eq!(n.distance_m, d, "{}", n.slug);
    }
    assert!(s
        .nearby
        .windows(2)
        .all(|w| w[0].distance_m <= w[1].distance_m));
    assert_eq!(s.nearby[0].lang, "vi", "cua-tung is only in Vietnamese");
    assert_eq!(s.nearby[1].name, "Hien Luong Bridge");
    // The raw JSON: the texts flattened into the site.
    let v = r.value();
    assert_eq!(v["name"], "Vinh Moc Tunnels");
    assert!(v["summary"].is_string() && v["sections"].is_array());
    assert_eq!(v["nearby"].as_array().unwrap().len(), 5);

    // No Korean recording: no audio in Korean.
    let s: Site = t.get("/api/v1/sites/vinh-moc?lang=ko").await.json();
    assert_eq!(s.lang, "ko");
    assert_eq!(s.audio, None);
    // Default Vietnamese; a site with no English stays Vietnamese.
    let s: Site = t.get("/api/v1/sites/cua-tung").await.json();
    assert_eq!((s.requested_lang.as_str(), s.lang.as_str()), ("vi", "vi"));
    assert!(s.hours.always_open);
    assert!(s.nearby.iter().all(|n| n.slug != "cua-tung"));
    // HEAD: the same headers, no body.
    let r = t
        .send(Method::HEAD, "/api/v1/sites/vinh-moc", &[], Body::empty())
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.is_empty());
    assert!(r.headers.contains_key(header::ETAG));
}

#[tokio::test]
async fn unknown_and_malformed_slugs() {
    let t = server().await;
    for path in ["/api/v1/sites/nope", "/api/v1/sites/nope/qr.svg"] {
        let r = t.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        let e = r.error();
        assert_eq!(e.code, ErrorCode::SiteNotFound);
        assert_eq!(e.message, "no site nope");
        assert_eq!(r.value()["code"], "site_not_found");
    }
    let long = "a".repeat(61);
    for slug in [
        "Vinh-Moc",
        "vinh%20moc",
        "%FF",
        "%3Cscript%3E",
        "vinh_moc",
        long.as_str(),
    ] {
        for suffix in ["", "/qr.svg", "?lang=en"] {
            let path = format!("/api/v1/sites/{slug}{suffix}");
            let r = t.get(&path).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
            let e = r.error();
            assert_eq!(e.code, ErrorCode::InvalidCode, "{path}");
            assert_eq!(e.field.as_deref(), Some("slug"));
            assert!(!r.text().contains("script"));
        }
    }
    let r = t.get("/api/v1/sites/vinh-moc/other").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error().code, ErrorCode::NotFound);
    let r = t
        .send(Method::POST, "/api/v1/sites/vinh-moc", &[], Body::empty())
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn etags_let_the_offline_copy_revalidate() {
    let t = server().await;
    let r = t.get("/api/v1/sites/vinh-moc?lang=ko").await;
    let etag = header_of(&r, "etag").to_string();
    let s: Site = r.json();
    assert!(
        etag.starts_with(&format!("W/\"{}-ko-", s.version)),
        "{etag}"
    );
    let strong = etag.trim_start_matches("W/").to_string();
    assert_eq!(header_of(&r, "cache-control"), "no-cache");
    for inm in [
        etag.clone(),
        strong.clone(),
        format!("\"x\", {etag}"),
        "*".into(),
    ] {
        let r = req(
            &t,
            "/api/v1/sites/vinh-moc?lang=ko",
            &[("if-none-match", &inm)],
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_MODIFIED, "{inm}");
        assert!(r.body.is_empty());
        assert_eq!(header_of(&r, "etag"), etag);
        assert_eq!(header_of(&r, "content-language"), "ko");
        assert_eq!(header_of(&r, "cache-control"), "no-cache");
    }
    // Another language is another representation; ko-KR is the same one.
    let r = req(
        &t,
        "/api/v1/sites/vinh-moc?lang=en",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_ne!(header_of(&r, "etag"), etag);
    let r = req(
        &t,
        "/api/v1/sites/vinh-moc?lang=ko-KR",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    // The list too.
    let r = t.get("/api/v1/sites?lang=en").await;
    let list_etag = header_of(&r, "etag").to_string();
    assert!(list_etag.ends_with("-en\""), "{list_etag}");
    let r = req(
        &t,
        "/api/v1/sites?lang=en",
        &[("if-none-match", &list_etag)],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    let hien_luong =
        header_of(&t.get("/api/v1/sites/hien-luong?lang=ko").await, "etag").to_string();

    // A new seed renames Vịnh Mốc: its version, the list and its
    // neighbours' pages (which show its name) change; others do not.
    let renamed = fixture_with(|v| {
        let i = site_of(v, "vinh-moc");
        v[i]["text"]["ko"]["name"] = "빈목 땅굴".into();
    });
    sites::seed(&t.pool, &renamed).await.unwrap();
    let r = req(
        &t,
        "/api/v1/sites/vinh-moc?lang=ko",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let s2: Site = r.json();
    assert_eq!(s2.text.name, "빈목 땅굴");
    assert_ne!(s2.version, s.version);
    let r = req(
        &t,
        "/api/v1/sites?lang=en",
        &[("if-none-match", &list_etag)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = req(
        &t,
        "/api/v1/sites/hien-luong?lang=ko",
        &[("if-none-match", &hien_luong)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "the nearby name changed");
    let khe_sanh = t.get("/api/v1/sites/khe-sanh?lang=ko").await;
    let r = req(
        &t,
        "/api/v1/sites/khe-sanh?lang=ko",
        &[("if-none-match", header_of(&khe_sanh, "etag"))],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
}

// ---- the plate's QR code ----

/// The dark modules of the plate SVG: checks its shape and reads its one
/// path of `M x y h w v 1 h -w z` rectangles. Returns (modules per side
/// including the quiet zone, dark[y][x]).
fn read_qr_svg(svg: &str) -> (usize, Vec<Vec<bool>>) {
    assert!(
        svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.contains("shape-rendering=\"crispEdges\""));
    assert!(svg.contains("width=\"100mm\" height=\"100mm\""));
    assert_eq!(svg.matches("<path").count(), 1, "one path");
    let attr = |name: &str| {
        let start = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = start + svg[start..].find('"').unwrap();
        svg[start..end].to_string()
    };
    let vb: Vec<usize> = attr("viewBox")
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!((vb[0], vb[1]), (0, 0));
    assert_eq!(vb[2], vb[3]);
    let dim = vb[2];
    assert!(svg.contains(&format!(
        "<rect x=\"0\" y=\"0\" width=\"{dim}\" height=\"{dim}\" fill=\"#ffffff\"/>"
    )));
    let p = &svg[svg.find("<path").unwrap()..];
    assert!(p.contains("fill=\"#000000\""));
    let start = p.find(" d=\"").unwrap() + 4;
    let d = &p[start..start + p[start..].find('"').unwrap()];
    let mut dark = vec![vec![false; dim]; dim];
    for sub in d.split('z').filter(|s| !s.is_empty()) {
        // M{x} {y}h{w}v1h-{w}
        let rest = sub.strip_prefix('M').unwrap_or_else(|| panic!("{sub}"));
        let (xy, rest) = rest.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let (w, rest) = rest.split_once('v').unwrap();
        let w: usize = w.parse().unwrap();
        assert_eq!(rest, format!("1h-{w}"), "{sub}");
        for c in &mut dark[y][x..x + w] {
            *c = true;
        }
    }
    (dim, dark)
}

/// The modules as a greyscale image, `scale` pixels a module.
fn rasterize(dark: &[Vec<bool>], scale: usize) -> (Vec<u8>, usize) {
    let side = dark.len() * scale;
    let mut px = vec![255u8; side * side];
    for (y, row) in dark.iter().enumerate() {
        for (x, &on) in row.iter().enumerate() {
            if on {
                for dy in 0..scale {
                    let at = (y * scale + dy) * side + x * scale;
                    px[at..at + scale].fill(0);
                }
            }
        }
    }
    (px, side)
}

fn check_plate(svg: &str, url: &str) {
    let (dim, dark) = read_qr_svg(svg);
    // The quiet zone: four light modules on every side.
    for (y, row) in dark.iter().enumerate() {
        for (x, &on) in row.iter().enumerate() {
            let inside = (4..dim - 4).contains(&x) && (4..dim - 4).contains(&y);
            assert!(inside || !on, "dark module in the quiet zone at {x},{y}");
        }
    }
    let (px, side) = rasterize(&dark, 4);
    assert_eq!(cuaso_qr::decode_luma(&px, side, side), [url.to_string()]);
    // Error correction Q exactly: the same modules as qrcodegen's Q code.
    let want = qrcodegen::QrCode::encode_segments_advanced(
        &qrcodegen::QrSegment::make_segments(url),
        qrcodegen::QrCodeEcc::Quartile,
        qrcodegen::Version::MIN,
        qrcodegen::Version::MAX,
        None,
        false,
    )
    .unwrap();
    assert_eq!(
        want.error_correction_level(),
        qrcodegen::QrCodeEcc::Quartile
    );
    assert_eq!(want.size() as usize + 8, dim);
    for y in 0..want.size() {
        for x in 0..want.size() {
            assert_eq!(
                dark[y as usize + 4][x as usize + 4],
                want.get_module(x, y),
                "module {x},{y}"
            );
        }
    }
}

#[tokio::test]
async fn the_plate_qr_code_decodes_to_the_site_link() {
    let t = server_with(friday(), |s| {
        s.sites_json = Some(FIXTURE.to_string());
        s.public_base_url = Some("https://dulich.quangtri.example/".into());
    })
    .await;
    let r = req(
        &t,
        "/api/v1/sites/vinh-moc/qr.svg",
        &[("host", "evil.example")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(header_of(&r, "content-type"), "image/svg+xml");
    assert!(header_of(&r, "content-disposition").contains("qr-vinh-moc.svg"));
    check_plate(&r.text(), "https://dulich.quangtri.example/s/vinh-moc");

    // Without --public-base-url: the request's host.
    let t = server().await;
    let r = req(
        &t,
        "/api/v1/sites/hien-luong/qr.svg",
        &[("host", "dulich.example.vn:8080")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    check_plate(&r.text(), "http://dulich.example.vn:8080/s/hien-luong");
}

// ---- link previews ----

fn meta<'a>(html: &'a str, property: &str) -> Option<&'a str> {
    let key = format!("<meta property=\"{property}\" content=\"");
    let start = html.find(&key)? + key.len();
    Some(&html[start..start + html[start..].find('"')?])
}

#[tokio::test]
async fn site_pages_carry_a_preview_in_the_visitors_language() {
    let t = server().await;
    let host = ("host", "dulich.example.vn");
    let r = req(&t, "/s/vinh-moc", &[host, ("accept", "text/html")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(header_of(&r, "content-type").starts_with("text/html"));
    assert_eq!(header_of(&r, "vary"), "Accept-Language");
    let html = r.text();
    assert!(html.contains("id=\"cuaso-config\""), "the app shell");
    assert_eq!(html.matches("<title>").count(), 1, "{html}");
    assert!(html.contains("<title>Địa đạo Vịnh Mốc</title>"), "{html}");
    assert_eq!(meta(&html, "og:title"), Some("Địa đạo Vịnh Mốc"));
    assert_eq!(
        meta(&html, "og:description"),
        Some("Làng hầm dưới lòng đất (bản thử nghiệm).")
    );
    assert_eq!(
        meta(&html, "og:image"),
        Some("http://dulich.example.vn/public/sites/vinh-moc-1.svg")
    );
    assert_eq!(meta(&html, "og:image:alt"), Some("Lối vào địa đạo"));
    assert_eq!(
        meta(&html, "og:url"),
        Some("http://dulich.example.vn/sites/vinh-moc")
    );
    assert_eq!(meta(&html, "og:locale"), Some("vi_VN"));
    assert!(html.contains("<meta property=\"og:locale:alternate\" content=\"ko_KR\">"));
    assert!(html.find("og:title").unwrap() < html.find("</head>").unwrap());
    assert!(
        html.starts_with("<!doctype html><html lang=\"vi\">"),
        "html lang untouched"
    );

    // Accept-Language picks the first supported language.
    let r = req(
        &t,
        "/sites/vinh-moc",
        &[
            host,
            ("accept-language", "fr-FR,fr;q=0.9,ko-KR;q=0.8,en;q=0.5"),
        ],
    )
    .await;
    let html = r.text();
    assert!(html.contains("<title>빈목 터널</title>"), "{html}");
    assert_eq!(meta(&html, "og:locale"), Some("ko_KR"));
    assert_eq!(meta(&html, "og:image:alt"), Some("터널 입구"));
    // ?lang= wins; a language the site lacks falls back to English.
    let r = req(
        &t,
        "/s/vinh-moc?lang=zh",
        &[host, ("accept-language", "ko")],
    )
    .await;
    assert_eq!(meta(&r.text(), "og:title"), Some("永木地道"));
    let r = req(&t, "/s/truong-son", &[host, ("accept-language", "ko")]).await;
    let html = r.text();
    assert_eq!(meta(&html, "og:locale"), Some("en_US"));
    assert_eq!(
        meta(&html, "og:title"),
        Some("Truong Son National Martyrs&#39; Cemetery")
    );
    // No photo: no image tags.
    let html = req(&t, "/s/cua-tung", &[host]).await.text();
    assert!(html.contains("<title>Bãi biển Cửa Tùng</title>"));
    assert!(!html.contains("og:image"));
    // Unknown or malformed: the plain shell, 404 (the app words it).
    for path in ["/s/nope", "/sites/nope", "/s/Vinh%20Moc", "/s/%FF"] {
        let r = req(&t, path, &[("accept", "text/html")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.text().contains("<title>Cửa Số</title>"), "{path}");
        assert!(!r.text().contains("og:title"));
    }
    // Other app routes are untouched.
    let r = req(&t, "/sites", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("<title>Cửa Số</title>"));
}

#[tokio::test]
async fn previews_escape_hostile_text() {
    let hostile = fixture_with(|v| {
        let i = site_of(v, "vinh-moc");
        let s = &mut v[i];
        s["text"]["vi"]["name"] = "</title><script>alert(1)</script>".into();
        s["text"]["vi"]["summary"] = "\"><img src=x onerror=alert(3)> & 'q'".into();
        s["photos"][0]["src"] = "/p.svg\"><script>alert(2)</script>".into();
        s["photos"][0]["alt"]["vi"] = "'\"&".into();
    });
    let t = server_on(hostile).await;
    let r = req(&t, "/s/vinh-moc", &[("accept", "text/html")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"),
        "{html}"
    );
    assert!(
        html.contains("&quot;&gt;&lt;img src=x onerror=alert(3)&gt; &amp; &#39;q&#39;"),
        "{html}"
    );
    assert!(
        html.contains("p.svg&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("content=\"&#39;&quot;&amp;\""), "{html}");
    assert_eq!(html.matches("<title>").count(), 1);
    assert_eq!(html.matches("</title>").count(), 1);
    // The API gives the words as they are (JSON-escaped).
    let s: Site = t.get("/api/v1/sites/vinh-moc").await.json();
    assert_eq!(s.text.name, "</title><script>alert(1)</script>");
}

// ---- the seed ----

#[tokio::test]
async fn a_broken_seed_stops_the_start_with_a_clear_message() {
    let cases = [
        (
            fixture_with(|v| v[0]["slug"] = "Vinh Moc".into()),
            "\"Vinh Moc\" is not lowercase",
        ),
        (
            fixture_with(|v| v[1]["slug"] = "vinh-moc".into()),
            "slug vinh-moc twice",
        ),
        (
            fixture_with(|v| v[0]["hours"]["weekly"][0]["close"] = "06:00".into()),
            "vinh-moc: bad weekly hours",
        ),
        (
            fixture_with(|v| {
                v[0]["text"].as_object_mut().unwrap().remove("vi");
            }),
            "vinh-moc: no Vietnamese text",
        ),
        (
            fixture_with(|v| v[0]["audio"]["fr"] = serde_json::json!({"src": "/a.mp3", "voice": "human"})),
            "vinh-moc: unknown language fr",
        ),
        (
            fixture_with(|v| v[0]["category"] = "zoo".into()),
            "unknown variant",
        ),
        ("{".to_string(), "seed sites"),
    ];
    for (json, want) in cases {
        let dir = tempfile::tempdir().unwrap();
        let now = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
        let mut settings = common::settings(&dir, now);
        settings.sites_json = Some(json);
        let err = match cuaso_server::build(&settings).await {
            Ok(_) => panic!("started with a broken seed ({want})"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains("seed sites"), "{err}");
        assert!(err.contains(want), "{err} / {want}");
    }
    // An empty list is a valid (empty) seed.
    let t = server_on("[]".into()).await;
    let l: SiteList = t.get("/api/v1/sites").await.json();
    assert!(l.sites.is_empty());
    assert_eq!(
        t.get("/api/v1/sites/vinh-moc").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_seed_is_loaded_once_per_version_of_the_file() {
    let t = server().await;
    let count = "SELECT COUNT(*) FROM sites";
    let runs = "SELECT COUNT(*) FROM seed_runs WHERE name LIKE 'sites-%'";
    assert_eq!(t.count(count).await, 7);
    // Loaded already: nothing happens, not even to a row changed since.
    sqlx::query("UPDATE sites SET position = 99 WHERE slug = 'vinh-moc'")
        .execute(&t.pool)
        .await
        .unwrap();
    sites::seed(&t.pool, FIXTURE).await.unwrap();
    assert_eq!(
        t.count("SELECT position FROM sites WHERE slug = 'vinh-moc'")
            .await,
        99
    );
    // A changed file replaces every site.
    let fewer = fixture_with(|v| {
        v.as_array_mut().unwrap().truncate(3);
    });
    sites::seed(&t.pool, &fewer).await.unwrap();
    assert_eq!(t.count(count).await, 3);
    assert_eq!(t.count(runs).await, 1);
    // Back to the first file: loaded again.
    sites::seed(&t.pool, FIXTURE).await.unwrap();
    assert_eq!(t.count(count).await, 7);
    assert_eq!(t.count(runs).await, 1);
    let l: SiteList = t.get("/api/v1/sites").await.json();
    assert_eq!(l.sites[0].slug, "vinh-moc", "seed order again");
    // A restart with the same file keeps the database as it is.
    let t = t.restart().await;
    assert_eq!(t.count(runs).await, 1);
    // The version is a hash of the stored record.
    let (body, version): (String, String) =
        sqlx::query_as("SELECT body, version FROM sites WHERE slug = 'hien-luong'")
            .fetch_one(&t.pool)
            .await
            .unwrap();
    let record: SiteRecord = serde_json::from_str(&body).unwrap();
    assert_eq!(sites::stored_form(&record).unwrap(), (body, version));
}

/// The compiled-in seed through the API, in every language: whatever its
/// words, every site is served with a consistent fallback, neighbours and
/// a plate code.
#[tokio::test]
async fn the_real_seed_is_served() {
    let records = sites::parse_seed(cuaso_server::infra::db::SEED_SITES).unwrap();
    assert!(!records.is_empty());
    let t = seed_server().await;
    for lang in ["vi", "en", "ko", "zh", "fr"] {
        let l: SiteList = t.get(&format!("/api/v1/sites?lang={lang}")).await.json();
        assert_eq!(l.requested_lang, lang);
        let slugs: Vec<&str> = l.sites.iter().map(|s| s.slug.as_str()).collect();
        let want: Vec<&str> = records.iter().map(|r| r.slug.as_str()).collect();
        assert_eq!(slugs, want, "seed order");
        for (s, r) in l.sites.iter().zip(&records) {
            let expected = [lang, "en", "vi"]
                .into_iter()
                .find(|l| r.text.contains_key(*l))
                .unwrap();
            assert_eq!(s.lang, expected, "{} {lang}", s.slug);
            assert_eq!(s.name, r.text[expected].name);
        }
    }
    for r in &records {
        let resp = t.get(&format!("/api/v1/sites/{}?lang=en", r.slug)).await;
        assert_eq!(resp.status, StatusCode::OK, "{}", r.slug);
        let s: Site = resp.json();
        assert_eq!(s.nearby.len(), (records.len() - 1).min(5));
        assert!(s.nearby.iter().all(|n| n.slug != r.slug));
        assert!(s
            .nearby
            .windows(2)
            .all(|w| w[0].distance_m <= w[1].distance_m));
        let resp = req(
            &t,
            &format!("/api/v1/sites/{}/qr.svg", r.slug),
            &[("host", "qt.example")],
        )
        .await;
        check_plate(&resp.text(), &format!("http://qt.example/s/{}", r.slug));
        let html = t.get(&format!("/s/{}", r.slug)).await.text();
        let title = format!(
            "<title>{}</title>",
            cuaso_server::infra::web::escape(&r.text["vi"].name)
        );
        assert!(html.contains(&title), "{}", r.slug);
    }
}

#[tokio::test]
async fn openapi_documents_the_site_routes() {
    let t = server().await;
    let doc = t.get("/api/v1/openapi.json").await.value();
    for path in [
        "/api/v1/sites",
        "/api/v1/sites/{slug}",
        "/api/v1/sites/{slug}/qr.svg",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} documented");
    }
    let ok = &doc["paths"]["/api/v1/sites/{slug}/qr.svg"]["get"]["responses"]["200"];
    assert!(ok["content"]["image/svg+xml"].is_object(), "{ok}");
    let detail = &doc["paths"]["/api/v1/sites/{slug}"]["get"]["responses"];
    assert!(detail["304"].is_object());
    assert!(detail["200"]["headers"]["ETag"].is_object(), "{detail}");
    for schema in [
        "SiteList",
        "SiteSummary",
        "Site",
        "Nearby",
        "PhotoView",
        "OpeningHours",
        "SiteText",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
    let codes = doc["components"]["schemas"]["ErrorCode"].to_string();
    assert!(codes.contains("site_not_found"));
}

/// The JSON data block the server inlines for the app (`web::with_data`).
fn inlined(html: &str) -> Option<(String, Value)> {
    let start = html.find(r#"<script type="application/json" id="cuaso-data" data-kind=""#)?;
    let rest = &html[start..];
    let kind = rest.split('"').nth(5)?.to_string();
    let body = &rest[rest.find('>')? + 1..rest.find("</script>")?];
    Some((kind, serde_json::from_str(body).ok()?))
}

#[tokio::test]
async fn site_pages_carry_the_guide_inline_in_the_visitors_language() {
    let t = server().await;
    for (uri, lang, api) in [
        (
            "/s/vinh-moc",
            "vi-VN,vi;q=0.9",
            "/api/v1/sites/vinh-moc?lang=vi",
        ),
        ("/s/vinh-moc", "ko", "/api/v1/sites/vinh-moc?lang=ko"),
        (
            "/sites/hien-luong?lang=en",
            "vi",
            "/api/v1/sites/hien-luong?lang=en",
        ),
    ] {
        let r = req(
            &t,
            uri,
            &[("accept", "text/html"), ("accept-language", lang)],
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        let (kind, v) = inlined(&r.text()).expect(uri);
        assert_eq!(kind, "site");
        assert_eq!(v, t.get(api).await.value(), "{uri}");
    }
    let r = req(&t, "/s/nowhere", &[("accept", "text/html")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(inlined(&r.text()).is_none());
}

#[tokio::test]
async fn inlined_guides_cannot_break_out_of_their_script() {
    let hostile = fixture_with(|v| {
        let i = site_of(v, "vinh-moc");
        v[i]["text"]["vi"]["summary"] = "</script><script>alert(1)</script><!-- <\u{2028}".into();
    });
    let t = server_on(hostile).await;
    let r = req(&t, "/s/vinh-moc", &[("accept", "text/html")]).await;
    let html = r.text();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<!--"), "{html}");
    // The branding block and the data block end; nothing else does.
    assert_eq!(html.matches("</script>").count(), 2, "{html}");
    let (_, v) = inlined(&html).unwrap();
    assert_eq!(
        v["summary"],
        "</script><script>alert(1)</script><!-- <\u{2028}"
    );
}
