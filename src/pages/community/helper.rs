//! `/helper/...`: assisted applications by community digital helpers (Tổ
//! công nghệ số cộng đồng). One component picks the screen from the path.
//!
//! - `/helper`: the helper's page: start an application for a citizen, the
//!   applications in progress in this session, the receipt waiting to be
//!   handed over, "Kết thúc phiên", and the dossiers this helper submitted
//!   (status only, from the server).
//! - `/helper/handover/{code}`: the hand-over: the printable receipt with the
//!   tracking QR code and secret, and "send the link" (Web Share: Zalo, SMS…).
//!
//! Helpers sign in on the same login page as producers (`/producer/login`,
//! the same session machinery); the login page sends a helper here. Helper
//! mode on the device ([`crate::drafts::helper_mode`]) keeps citizens' drafts
//! apart and only until the session ends; see [`crate::drafts`].

use cuaso_domain::helper::AssistedList;
use cuaso_domain::producer::{Role, Session};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use wasm_bindgen::JsValue;

use crate::api::{self, ApiError};
use crate::components::receipt::{handover_link, render, Assisted};
use crate::components::status::{ErrorPanel, Loading};
use crate::drafts::{self, HelperMode};
use crate::i18n::{fill, tr, use_i18n};
use crate::dates::date_vn;

#[component]
pub fn HelperRoute() -> impl IntoView {
    let location = use_location();
    move || {
        let path = location.pathname.get();
        let rest = path.trim_start_matches("/helper").trim_matches('/').to_string();
        if rest.is_empty() {
            view! { <HelperHome/> }.into_any()
        } else if let Some(code) = rest.strip_prefix("handover/").filter(|c| !c.contains('/')) {
            view! { <Handover code=code.to_string()/> }.into_any()
        } else {
            view! { <crate::pages::not_found::NotFound/> }.into_any()
        }
    }
}

/// The login page, coming back to `next`.
fn login_href(next: &str) -> String {
    format!("/producer/login?next={}", cuaso_domain::query::encode(next))
}

/// What the session check found.
#[derive(Clone)]
enum Who {
    Helper(Session),
    /// Signed in, but as a producer.
    Producer,
    SignedOut,
}

#[component]
fn HelperHome() -> impl IntoView {
    let i18n = use_i18n();
    let who = LocalResource::new(move || async move {
        let lang = i18n.locale().code();
        match api::session(lang).await {
            Ok(s) if s.role == Role::Helper => {
                let h = s.helper.clone().unwrap_or(cuaso_domain::helper::HelperInfo {
                    name: s.username.clone(),
                    team: String::new(),
                    commune: String::new(),
                });
                drafts::set_helper_mode(Some(&HelperMode {
                    username: s.username.clone(),
                    name: h.name,
                    team: h.team,
                }));
                Ok(Who::Helper(s))
            }
            Ok(_) => Ok(Who::Producer),
            Err(e) if matches!(e.error, ApiError::Client { status: 401, .. }) => Ok(Who::SignedOut),
            Err(e) => Err(e.error),
        }
    });
    move || match who.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(Who::Helper(s))) => view! { <Dashboard session=s/> }.into_any(),
        Some(Ok(Who::Producer)) => view! {
            <Title text=tr(|t| t.hp_title)/>
            <h1>{tr(|t| t.hp_title)}</h1>
            <p>{tr(|t| t.hp_not_helper)}</p>
            <p><A href="/producer" attr:class="btn btn-secondary">{tr(|t| t.hp_to_producer)}</A></p>
        }
        .into_any(),
        Some(Ok(Who::SignedOut)) => view! {
            <Title text=tr(|t| t.hp_title)/>
            <h1>{tr(|t| t.hp_title)}</h1>
            <p class="lead">{tr(|t| t.hp_intro)}</p>
            <p><A href=login_href("/helper") attr:class="btn btn-primary">{tr(|t| t.pr_sign_in)}</A></p>
            <p class="hint">{tr(|t| t.hp_accounts_note)}</p>
        }
        .into_any(),
        Some(Err(error)) => view! { <ErrorPanel error main=true retry=move || who.refetch()/> }.into_any(),
    }
}

#[component]
fn Dashboard(session: Session) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let info = session.helper.clone();
    let in_progress = RwSignal::new(drafts::helper_drafts());
    let pending = RwSignal::new(drafts::handover());
    let ended = RwSignal::new(false);
    let list = LocalResource::new(move || async move {
        api::assisted_list(i18n.locale().code()).await
    });
    let end_session = move |_| {
        drafts::end_citizen_session();
        in_progress.set(Vec::new());
        pending.set(None);
        ended.set(true);
    };
    let logout = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = api::logout(false, i18n.locale().code()).await;
            drafts::end_citizen_session();
            drafts::set_helper_mode(None);
            navigate("/", NavigateOptions { replace: true, ..Default::default() });
        });
    };
    let assisted = move || match list.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(AssistedList { items })) if items.is_empty() => {
            view! { <p>{tr(|t| t.hp_assisted_none)}</p> }.into_any()
        }
        Some(Ok(AssistedList { items })) => {
            let lang = i18n.locale().code();
            view! {
                <ul class="link-list">
                    {items.into_iter().map(|d| view! {
                        <li>
                            <span class="code">{d.code}</span>" · "{d.procedure_name.get(lang).to_string()}
                            <br/><span class="badge">{d.status.name(lang)}</span>" "
                            <span class="hint">{date_vn(&d.received_at)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
        Some(Err(e)) => view! { <ErrorPanel error=e.error retry=move || list.refetch()/> }.into_any(),
    };
    view! {
        <Title text=tr(|t| t.hp_title)/>
        <h1>{tr(|t| t.hp_title)}</h1>
        <p class="lead">{info.map(|h| format!("{} · {}", h.name, h.team)).unwrap_or(session.username.clone())}</p>
        {move || ended.get().then(|| view! {
            <p class="notice" role="status">{tr(|t| t.hp_ended)}</p>
        })}
        {move || pending.get().map(|r| view! {
            <div class="notice notice--warn">
                <p class="strong">{fill(i18n.t().hp_pending, &[("code", &r.receipt.code), ("name", &r.citizen)])}</p>
                <p><A href=format!("/helper/handover/{}", r.receipt.code) attr:class="btn btn-primary">{tr(|t| t.hp_open_handover)}</A></p>
            </div>
        })}
        <section aria-labelledby="hp-start">
            <h2 id="hp-start">{tr(|t| t.hp_start_title)}</h2>
            <ol class="steps">
                <li>{tr(|t| t.hp_step_1)}</li>
                <li>{tr(|t| t.hp_step_2)}</li>
                <li>{tr(|t| t.hp_step_3)}</li>
                <li>{tr(|t| t.hp_step_4)}</li>
            </ol>
            <p><A href="/services" attr:class="btn btn-primary btn-block">{tr(|t| t.hp_start)}</A></p>
        </section>
        {move || {
            let list = in_progress.get();
            (!list.is_empty()).then(|| {
                let lang = i18n.locale().code();
                view! {
                    <section aria-labelledby="hp-progress">
                        <h2 id="hp-progress">{tr(|t| t.hp_in_progress)}</h2>
                        <ul class="link-list">
                            {list.into_iter().map(|(code, d)| view! {
                                <li><A href=format!("/services/{code}/apply")>{d.procedure_name.get(lang).to_string()}</A></li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
            })
        }}
        <section aria-labelledby="hp-end">
            <h2 id="hp-end">{tr(|t| t.hp_end_title)}</h2>
            <p>{tr(|t| t.hp_end_body)}</p>
            <button type="button" class="btn btn-secondary" id="hp-end-session" on:click=end_session>{tr(|t| t.hp_end)}</button>
        </section>
        <section aria-labelledby="hp-assisted">
            <h2 id="hp-assisted">{tr(|t| t.hp_assisted_title)}</h2>
            <p class="hint">{tr(|t| t.hp_assisted_hint)}</p>
            {assisted}
        </section>
        <p><button type="button" class="btn btn-secondary" on:click=logout>{tr(|t| t.pr_logout)}</button></p>
    }
}

/// Calls `navigator.share(data)` if the browser has it; `false` when it
/// does not (the caller then offers the link to copy). Called through
/// `Reflect` so the shell's JS glue does not grow.
fn web_share(title: &str, text: &str, url: &str) -> bool {
    let Some(nav) = web_sys::window().map(|w| JsValue::from(w.navigator())) else {
        return false;
    };
    let Ok(share) = js_sys::Reflect::get(&nav, &JsValue::from_str("share")) else {
        return false;
    };
    let Some(share) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&share) else {
        return false;
    };
    let data = js_sys::Object::new();
    for (k, v) in [("title", title), ("text", text), ("url", url)] {
        let _ = js_sys::Reflect::set(&data, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    // The promise rejects when the person closes the sheet: nothing to do.
    if let Ok(p) = share.call1(&nav, &data) {
        if let Ok(p) = wasm_bindgen::JsCast::dyn_into::<js_sys::Promise>(p) {
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            });
        }
    }
    true
}

#[component]
fn Handover(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let handover = drafts::handover().filter(|h| h.receipt.code == code);
    let helper = drafts::helper_mode();
    let Some(drafts::Handover { receipt: r, citizen }) = handover else {
        return view! {
            <Title text=tr(|t| t.hp_handover_title)/>
            <h1>{tr(|t| t.hp_handover_gone_title)}</h1>
            <p>{tr(|t| t.hp_handover_gone_body)}</p>
            <p><A href="/helper" attr:class="btn btn-primary">{tr(|t| t.hp_home_link)}</A></p>
        }
        .into_any();
    };
    let link = handover_link(&r.code, &r.secret);
    let show_link = RwSignal::new(false);
    let share = {
        let (code, link) = (r.code.clone(), link.clone());
        move |_| {
            let t = i18n.t();
            let text = fill(t.hp_share_text, &[("code", &code)]);
            if !web_share(t.hp_share_title, &text, &link) {
                show_link.set(true);
            }
        }
    };
    let end_session = move |_| {
        drafts::end_citizen_session();
        navigate("/helper", NavigateOptions { replace: true, ..Default::default() });
    };
    let by = helper.map(|h| (h.name, h.team));
    let for_whom = {
        let (citizen, name) = (citizen.clone(), r.procedure_name.clone());
        move || {
            let lang = i18n.locale().code();
            fill(i18n.t().hp_handover_for, &[("name", &citizen), ("procedure", name.get(lang))])
        }
    };
    let body = move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        let by = by
            .clone()
            .map(|(name, team)| fill(t.hp_receipt_by, &[("helper", &name), ("team", &team)]))
            .unwrap_or_default();
        render(r.clone(), t, lang, Some(Assisted { by, citizen: citizen.clone() }))
    };
    view! {
        <div class="notice no-print">
            <h2>{tr(|t| t.hp_handover_title)}</h2>
            <p class="strong" id="hp-for">{for_whom}</p>
            <p>{tr(|t| t.hp_handover_body)}</p>
        </div>
        {body}
        <section class="no-print" aria-labelledby="hp-send">
            <h2 id="hp-send">{tr(|t| t.hp_send_title)}</h2>
            <p>{tr(|t| t.hp_send_body)}</p>
            <button type="button" class="btn btn-secondary btn-block" on:click=share>{tr(|t| t.hp_send)}</button>
            {move || show_link.get().then(|| {
                let link = link.clone();
                view! {
                    <div class="form-group">
                        <label class="label" for="hp-link">{tr(|t| t.hp_link_label)}</label>
                        <input class="input" id="hp-link" type="text" readonly prop:value=link.clone()/>
                        <p><a class="btn btn-secondary" href=format!("sms:?&body={}", cuaso_domain::query::encode(&link))>{tr(|t| t.hp_send_sms)}</a></p>
                    </div>
                }
            })}
        </section>
        <section class="no-print" aria-labelledby="hp-finish">
            <h2 id="hp-finish">{tr(|t| t.hp_end_title)}</h2>
            <p>{tr(|t| t.hp_end_after_handover)}</p>
            <button type="button" class="btn btn-primary btn-block" id="hp-end-session" on:click=end_session>{tr(|t| t.hp_end)}</button>
        </section>
    }
    .into_any()
}
