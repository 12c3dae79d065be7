//! The GS1 Digital Link resolver on `/01/{gtin}[/22/…][/10/{lot}][/21/…]`
//! (GS1-Conformant Resolver Standard 1.x), also after a prefix path (the
//! SPA fallback hands those over; browsers get a 307 to the root form), and
//! the link-preview tags of the app shell.
//!
//! - `?linkType=linkset` (or `all`), or `Accept: application/linkset+json`
//!   / `application/json`: the RFC 9264 linkset.
//! - `?linkType=gs1:pip` (`gs1:traceability`, `gs1:certificationInfo`,
//!   `gs1:defaultLink`, or the `https://gs1.org/voc/…` form): 307 to that
//!   link; a link type the item does not have: 404 JSON (`not_found`,
//!   `field` = `linkType`), rather than a silent redirect elsewhere.
//! - Otherwise (browsers, `*/*`): the app shell, whose page is the default
//!   link, with the product's title and OpenGraph tags.
//! - Errors: a syntax error 400 `bad_digital_link` (`field` = the
//!   `Gs1Error` code), an unknown GTIN 404 `product_not_found`, an unknown
//!   lot 404 `batch_not_found`, as JSON; for `Accept: text/html` the shell
//!   with the same status (the app words the error page).
//! - Every answer carries `Link` (the links and `rel="linkset"`),
//!   `Access-Control-Allow-Origin: *` and `Vary: Accept, Accept-Language`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use cuaso_domain::api::Text;
use cuaso_domain::gs1::{self, DigitalLink};
use cuaso_domain::site::SITE_LANGS;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use serde_json::{json, Value};

use super::handlers::bad_link;
use super::seed::ProductBody;
use super::store::{
    batch_exists, batch_not_found, load_batch, load_product, product_not_found, product_parts,
};
use crate::http::{base_url, ApiError};
use crate::infra::web::{escape, with_head_tags, Pages};

pub const VOC: &str = "https://gs1.org/voc/";

pub fn router(r: Arc<Pages>) -> Router {
    Router::new()
        .route("/01/{*rest}", any(resolve))
        .route("/.well-known/gs1resolver", get(well_known))
        .with_state(r)
}

/// A path with a prefix before its `/01/{gtin}` (`/p/q/01/…`): the SPA
/// fallback hands these to [`answer`].
pub fn is_prefixed_link(path: &str) -> bool {
    !path.starts_with("/01/")
        && !path.starts_with("/api/")
        && path
            .split('/')
            .skip(1)
            .any(|seg| seg == "01" || seg == "gtin")
        && gs1::parse(path).is_ok()
}

/// Open CORS for GET and HEAD; `Link` readable by scripts.
pub fn cors(h: &mut HeaderMap) {
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Link, Location"),
    );
}

/// One link of the linkset.
pub struct Link {
    /// Short GS1 link type: `pip`, `traceability`…
    pub rel: &'static str,
    pub href: String,
    pub title: String,
    pub media_type: &'static str,
}

fn links(base: &str, link: &DigitalLink, product: &ProductBody) -> Vec<Link> {
    let page = format!("{base}{}", link.path());
    let mut out = vec![Link {
        rel: "pip",
        href: page.clone(),
        title: product.name.vi.clone(),
        media_type: "text/html",
    }];
    if let Some(lot) = &link.lot {
        let lot_only = DigitalLink {
            gtin: link.gtin.clone(),
            lot: Some(lot.clone()),
            ..DigitalLink::default()
        };
        // The lot as the path encodes it.
        let enc = lot_only
            .path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        out.push(Link {
            rel: "traceability",
            href: format!("{base}/api/v1/products/{}/batches/{enc}/epcis", link.gtin),
            title: format!("EPCIS: {} – {lot}", product.name.vi),
            media_type: "application/ld+json",
        });
    }
    out.push(Link {
        rel: "certificationInfo",
        href: format!("{base}/01/{}#certificate", link.gtin),
        title: format!("Chứng nhận OCOP {} sao", product.stars),
        media_type: "text/html",
    });
    out.push(Link {
        rel: "defaultLink",
        href: page,
        title: product.name.vi.clone(),
        media_type: "text/html",
    });
    out
}

fn linkset(anchor: &str, links: &[Link]) -> Value {
    let mut set = serde_json::Map::new();
    set.insert("anchor".into(), anchor.into());
    for l in links {
        let hreflang: Vec<&str> = if l.media_type == "text/html" {
            vec!["vi", "en"]
        } else {
            Vec::new()
        };
        let mut target = json!({"href": l.href, "title": l.title, "type": l.media_type});
        if !hreflang.is_empty() {
            target["hreflang"] = json!(hreflang);
        }
        set.insert(format!("{VOC}{}", l.rel), json!([target]));
    }
    json!({ "linkset": [Value::Object(set)] })
}

/// RFC 8288 `Link`: every link (no titles: header values stay ASCII) and
/// the linkset.
fn link_header(anchor: &str, links: &[Link]) -> Option<HeaderValue> {
    let mut parts: Vec<String> = links
        .iter()
        .map(|l| {
            let lang = if l.media_type == "text/html" {
                "; hreflang=\"vi\"; hreflang=\"en\""
            } else {
                ""
            };
            format!(
                "<{}>; rel=\"{VOC}{}\"; type=\"{}\"{lang}",
                l.href, l.rel, l.media_type
            )
        })
        .collect();
    parts.push(format!(
        "<{anchor}?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\""
    ));
    HeaderValue::from_str(&parts.join(", ")).ok()
}

fn accepts(headers: &HeaderMap, what: &str) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|m| {
            let m = m.split(';').next().unwrap_or("").trim();
            m.eq_ignore_ascii_case(what)
        })
}

fn finish(mut res: Response, link: Option<HeaderValue>) -> Response {
    let h = res.headers_mut();
    cors(h);
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Accept-Language"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Some(l) = link {
        h.insert(header::LINK, l);
    }
    res
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

async fn resolve(
    State(r): State<Arc<Pages>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    answer(&r, &method, &uri, &headers).await
}

/// The resolver's answer to a request for a Digital Link path (with or
/// without a prefix path; a browser asking for a prefixed one is sent to
/// the root form, which is where the app's pages are).
pub async fn answer(r: &Pages, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    let (method, uri, headers) = (method.clone(), uri, headers);
    if method == Method::OPTIONS {
        let mut res = StatusCode::NO_CONTENT.into_response();
        let h = res.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Accept, Accept-Language"),
        );
        return finish(res, None);
    }
    if method != Method::GET && method != Method::HEAD {
        let mut res = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ApiErrorBody::new(
                ErrorCode::MethodNotAllowed,
                "the resolver answers GET and HEAD",
            ),
        )
        .into_response();
        res.headers_mut().insert(
            header::ALLOW,
            HeaderValue::from_static("GET, HEAD, OPTIONS"),
        );
        return finish(res, None);
    }
    let lang = crate::http::request_lang(headers);
    let wants_html = accepts(headers, "text/html");
    let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let shell_with = |status: StatusCode| finish(html(status, r.shell.html.clone()), None);
    let error = |e: ApiError| {
        if wants_html {
            shell_with(e.status)
        } else {
            finish(e.into_response(), None)
        }
    };
    let link = match gs1::parse(target) {
        Ok(l) => l,
        Err(e) => return error(bad_link(&e, lang)),
    };
    if !uri.path().starts_with("/01/") && wants_html && link.link_type.is_none() {
        let mut to = link.path();
        if let Some(q) = uri.query() {
            to = format!("{to}?{q}");
        }
        let res = (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]).into_response();
        return finish(res, None);
    }
    let s = &r.state;
    let product = match product_parts(&s.pool, &link.gtin).await {
        Ok(Some((p, producer))) => (p, producer),
        Ok(None) => return error(product_not_found(&link.gtin)),
        Err(e) => return error(e),
    };
    if let Some(lot) = &link.lot {
        match batch_exists(&s.pool, &link.gtin, lot).await {
            Ok(true) => {}
            Ok(false) => return error(batch_not_found(&link.gtin, lot)),
            Err(e) => return error(e),
        }
    }
    let base = base_url(s, headers, uri);
    let anchor = format!("{base}{}", link.path());
    let all = links(&base, &link, &product.0);
    let link_value = link_header(&anchor, &all);
    let want_linkset = match link.link_type.as_deref() {
        Some("linkset" | "all") => true,
        Some(t) => {
            let short = t
                .strip_prefix("gs1:")
                .or_else(|| t.strip_prefix(VOC))
                .unwrap_or(t);
            let res = match all.iter().find(|l| l.rel == short) {
                Some(l) => (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, l.href.clone())],
                )
                    .into_response(),
                None => ApiError::new(
                    StatusCode::NOT_FOUND,
                    ApiErrorBody::for_field(
                        ErrorCode::NotFound,
                        "linkType",
                        format!("no {t} link for this item"),
                    ),
                )
                .into_response(),
            };
            return finish(res, link_value);
        }
        None => {
            accepts(headers, "application/linkset+json")
                || (!wants_html && accepts(headers, "application/json"))
        }
    };
    if want_linkset {
        let body = linkset(&anchor, &all).to_string();
        let res = (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/linkset+json"),
            )],
            body,
        )
            .into_response();
        return finish(res, link_value);
    }
    let (p, producer) = product;
    let mut page = preview_html(&r.shell.html, &base, &anchor, &link, &p, &producer.name);
    // The answer the page shows first, inlined: one round trip less.
    let today = s.clock.today();
    let data = match &link.lot {
        Some(lot) => load_batch(&s.pool, &link.gtin, lot, today)
            .await
            .map(|b| ("batch", serde_json::to_string(&b))),
        None => load_product(&s.pool, &link.gtin, today)
            .await
            .map(|p| ("product", serde_json::to_string(&p))),
    };
    if let Ok((kind, Ok(json))) = data {
        page = crate::infra::web::with_data(&page, kind, &json);
    }
    let strings = crate::http::negotiate(headers, &SITE_LANGS).unwrap_or("vi");
    page = r
        .shell
        .with_preloads(&page, &["products", "strings_fetch"], strings);
    finish(html(StatusCode::OK, page), link_value)
}

/// `/.well-known/gs1resolver`: what this resolver is and supports.
async fn well_known(State(r): State<Arc<Pages>>, headers: HeaderMap, uri: Uri) -> Response {
    let base = base_url(&r.state, &headers, &uri);
    let body = json!({
        "name": "Cửa Số",
        "resolverRoot": base,
        "supportedPrimaryKeys": ["gtin"],
        // The vocabulary, as GS1's own resolver describes it…
        "supportedLinkType": [
            {"namespace": VOC, "prefix": "gs1:", "profile": format!("{VOC}?show=linktypes")},
        ],
        // …and the link types this one can answer with.
        "supportedLinkTypes": [
            format!("{VOC}pip"), format!("{VOC}traceability"),
            format!("{VOC}certificationInfo"), format!("{VOC}defaultLink"),
        ],
        "linkTypeDefaultCanBeLinkset": false,
        "supportedContextValuesEnumerated": [],
        "validatesGS1DigitalLinkSyntax": true,
    });
    let mut res = Json(body).into_response();
    cors(res.headers_mut());
    res
}

/// The shell with the item's `<title>`, description and OpenGraph tags
/// (in Vietnamese) before `</head>`, replacing the shell's own title.
pub fn preview_html(
    shell: &str,
    base: &str,
    url: &str,
    link: &DigitalLink,
    p: &ProductBody,
    producer: &Text,
) -> String {
    let title = match &link.lot {
        Some(lot) => format!("{} – lô {lot}", p.name.vi),
        None => p.name.vi.clone(),
    };
    let mut desc = format!("{} ★ OCOP · {}. {}", p.stars, producer.vi, p.description.vi);
    if desc.chars().count() > 200 {
        desc = desc.chars().take(199).collect::<String>() + "…";
    }
    let (t, d) = (escape(&title), escape(&desc));
    let mut tags = format!(
        "<title>{t}</title><meta name=\"description\" content=\"{d}\">\
         <meta property=\"og:type\" content=\"product\">\
         <meta property=\"og:title\" content=\"{t}\">\
         <meta property=\"og:description\" content=\"{d}\">\
         <meta property=\"og:url\" content=\"{}\">",
        escape(url)
    );
    if let Some(photo) = p.photos.first() {
        let img = if photo.url.starts_with("https://") || photo.url.starts_with("http://") {
            photo.url.clone()
        } else {
            format!("{base}/{}", photo.url.trim_start_matches('/'))
        };
        tags.push_str(&format!(
            "<meta property=\"og:image\" content=\"{}\"><meta property=\"og:image:alt\" content=\"{}\">",
            escape(&img),
            escape(&photo.alt.vi)
        ));
    }
    with_head_tags(shell, &tags)
}
