//! Component tests in headless Chromium (wasm-bindgen-test): real DOM, real
//! events, real localStorage.
#![cfg(target_arch = "wasm32")]

use cuaso::api::ApiError;
use cuaso::components::procedure::ProcedureCard;
use cuaso::components::status::ErrorPanel;
use cuaso::i18n::{provide_i18n, I18n, Locale};
use cuaso_domain::api::{AgencyLevel, Fees, OnlineLevel, ProcedureSummary, Text};
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

fn text(el: &web_sys::HtmlElement) -> String {
    el.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn offline_error_explains_retries_and_follows_the_language() {
    cuaso::storage::set("cuaso.lang", "vi");
    let el = container();
    let retries = RwSignal::new(0);
    let i18n_slot: RwSignal<Option<I18n>> = RwSignal::new(None);
    let _mounted = leptos::mount::mount_to(el.clone(), move || {
        i18n_slot.set(Some(provide_i18n()));
        view! {
            <Router>
                <ErrorPanel error=ApiError::Offline retry=move || retries.update(|n| *n += 1)/>
            </Router>
        }
    });
    leptos::task::tick().await;

    assert!(
        text(&el).contains("Bạn đang ngoại tuyến"),
        "Vietnamese by default: {}",
        text(&el)
    );
    let alert = el.query_selector("[role=alert]").unwrap();
    assert!(alert.is_some(), "announced to screen readers");

    let button: web_sys::HtmlElement = el
        .query_selector("button")
        .unwrap()
        .expect("a retry button")
        .unchecked_into();
    assert_eq!(button.text_content().unwrap().trim(), "Thử lại");
    button.click();
    button.click();
    assert_eq!(retries.get_untracked(), 2, "each tap retries");

    i18n_slot.get_untracked().unwrap().set(Locale::En);
    leptos::task::tick().await;
    assert!(
        text(&el).contains("You are offline"),
        "switches to English: {}",
        text(&el)
    );
    assert_eq!(
        cuaso::storage::get("cuaso.lang").as_deref(),
        Some("en"),
        "choice persisted"
    );
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("en")
    );
    cuaso::storage::set("cuaso.lang", "vi");
}

#[wasm_bindgen_test]
async fn a_client_error_offers_no_pointless_retry() {
    cuaso::storage::set("cuaso.lang", "vi");
    let el = container();
    let error = ApiError::Client {
        status: 404,
        body: cuaso_domain::ApiErrorBody::new(cuaso_domain::ErrorCode::ProcedureNotFound, "x"),
    };
    let _mounted = leptos::mount::mount_to(el.clone(), move || {
        provide_i18n();
        view! { <Router><ErrorPanel error=error.clone() retry=|| ()/></Router> }
    });
    leptos::task::tick().await;
    assert!(
        text(&el).contains("Không có thủ tục nào mang mã này"),
        "{}",
        text(&el)
    );
    assert!(
        el.query_selector("button").unwrap().is_none(),
        "retrying a 404 cannot help"
    );
}

#[wasm_bindgen_test]
async fn procedure_card_shows_fee_time_and_link() {
    cuaso::storage::set("cuaso.lang", "vi");
    // The page strings the app fetches with a page's chunk.
    assert!(Locale::Vi.install(cuaso::i18n::VI_PAGES.to_string()));
    let el = container();
    let p = ProcedureSummary {
        code: "1.004222".into(),
        name: Text {
            vi: "Đăng ký thường trú".into(),
            en: "Permanent residence registration".into(),
        },
        field: "cu-tru".into(),
        field_name: Text {
            vi: "Cư trú".into(),
            en: "Residence".into(),
        },
        level: AgencyLevel::Commune,
        online: OnlineLevel::Full,
        days: 7,
        fees: Fees {
            counter: Some(20_000),
            online: Some(10_000),
            note: None,
        },
    };
    let _mounted = leptos::mount::mount_to(el.clone(), move || {
        provide_i18n();
        view! { <Router><ul><ProcedureCard p=p.clone()/></ul></Router> }
    });
    leptos::task::tick().await;
    let t = text(&el);
    assert!(t.contains("Đăng ký thường trú"), "{t}");
    assert!(t.contains("7 ngày làm việc"), "{t}");
    assert!(t.contains("10.000 ₫"), "the cheaper online fee: {t}");
    assert!(t.contains("Trực tuyến toàn trình"), "{t}");
    let a = el.query_selector("a").unwrap().unwrap();
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("/services/1.004222")
    );
}

#[wasm_bindgen_test]
async fn korean_and_chinese_come_whole_from_their_bundle() {
    // Until the bundle arrives the shell reads English (pages wait for it).
    assert_eq!(Locale::Ko.strings().nav_services, Locale::En.strings().nav_services);
    assert!(Locale::Ko.install(cuaso::i18n::KO_ALL.to_string()));
    assert!(Locale::Zh.install(cuaso::i18n::ZH_ALL.to_string()));
    let ko = Locale::Ko.strings();
    assert!(ko.site_listen.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)), "{}", ko.site_listen);
    assert!(ko.nav_services.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)), "the shell's strings too");
    let zh = Locale::Zh.strings();
    assert!(zh.site_listen.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{}", zh.site_listen);
    // A bundle from another build does not fit.
    assert!(!Locale::Ko.install("only\u{1f}three\u{1f}values".to_string()));
    assert_eq!(Locale::from_code("zh-Hans-CN"), Some(Locale::Zh));
    assert_eq!(Locale::from_code("ko_KR"), Some(Locale::Ko));
    assert_eq!(Locale::from_code("fr"), None);
    assert_eq!((Locale::Ko.code(), Locale::Ko.tag()), ("en", "ko"));
}
