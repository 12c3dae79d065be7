//! One `Accept-Language` rule on every route (`http::extract::negotiate`):
//! the weights (`q`) decide, not the order. A site page, a product route
//! and a dossier route all answer `vi;q=0.1, en` in English and
//! `en;q=0.1, vi` in Vietnamese (before, the product and dossier routes
//! read only the first tag).

mod common;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;

/// The two headers that name both languages, the preferred one last.
const ENGLISH_LAST: &str = "vi;q=0.1, en";
const VIETNAMESE_LAST: &str = "en;q=0.1, vi";

async fn get_with(s: &TestServer, uri: &str, lang: &str) -> Reply {
    s.send(
        Method::GET,
        uri,
        &[("accept-language", lang), ("host", "dulich.example.vn")],
        Body::empty(),
    )
    .await
}

/// The `og:locale` of a site page.
async fn site_locale(s: &TestServer, lang: &str) -> String {
    let r = get_with(s, "/sites/vinh-moc", lang).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    let key = "<meta property=\"og:locale\" content=\"";
    let start = html.find(key).expect("a preview") + key.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn a_site_page_follows_the_weights() {
    let s = server_with(friday(), |st| {
        st.sites_json = Some(include_str!("fixtures/sites.json").to_string());
    })
    .await;
    assert_eq!(site_locale(&s, "vi").await, "vi_VN");
    assert_eq!(site_locale(&s, "en").await, "en_US");
    assert_eq!(site_locale(&s, ENGLISH_LAST).await, "en_US");
    assert_eq!(site_locale(&s, VIETNAMESE_LAST).await, "vi_VN");
}

/// The message of a refused product link.
async fn product_message(s: &TestServer, lang: &str) -> String {
    let r = get_with(s, "/api/v1/products/89300", lang).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    r.error().message
}

#[tokio::test]
async fn a_product_route_follows_the_weights() {
    let s = server().await;
    let (vi, en) = (
        product_message(&s, "vi").await,
        product_message(&s, "en").await,
    );
    assert_ne!(vi, en, "the route words its errors in both languages");
    assert_eq!(product_message(&s, ENGLISH_LAST).await, en);
    assert_eq!(product_message(&s, VIETNAMESE_LAST).await, vi);
}

/// The messages of a refused submission (an upload that does not exist).
async fn dossier_messages(s: &TestServer, lang: &str) -> Vec<String> {
    let r = s
        .submit(Some("language-key-1"), lang, &birth(&"0".repeat(32)))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    r.error().fields.into_iter().map(|f| f.message).collect()
}

#[tokio::test]
async fn a_dossier_route_follows_the_weights() {
    let s = server().await;
    let (vi, en) = (
        dossier_messages(&s, "vi").await,
        dossier_messages(&s, "en").await,
    );
    assert_ne!(vi, en, "the route words its problems in both languages");
    assert_eq!(dossier_messages(&s, ENGLISH_LAST).await, en);
    assert_eq!(dossier_messages(&s, VIETNAMESE_LAST).await, vi);
}
