//! `/my` ("Hồ sơ của tôi"): the dossiers followed from this device with
//! their latest status (one request for all of them), and the applications
//! in progress.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::drafts;
use crate::i18n::{fill, use_i18n};

#[component]
pub fn MyPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = RwSignal::new(drafts::tracked());
    let drafts_list = RwSignal::new(drafts::all());
    let refreshing = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let refresh = move || {
        let codes: Vec<String> =
            list.with_untracked(|l| l.iter().map(|t| t.code.clone()).collect());
        if codes.is_empty() || refreshing.get_untracked() {
            return;
        }
        refreshing.set(true);
        leptos::task::spawn_local(async move {
            match crate::api::dossier_statuses(codes.clone()).await {
                Ok(answer) => {
                    let mut all = drafts::tracked();
                    let now = drafts::now_ms();
                    for (code, item) in codes.iter().zip(answer.items) {
                        if let (Some(t), Some(s)) = (all.iter_mut().find(|t| &t.code == code), item)
                        {
                            t.status = Some(s.status.code());
                            t.checked = now;
                        }
                    }
                    drafts::save_tracked(&all);
                    list.set(all);
                    failed.set(false);
                }
                Err(_) => failed.set(true),
            }
            refreshing.set(false);
        });
    };
    refresh();
    let remove = move |code: String| {
        drafts::untrack(&code);
        list.set(drafts::tracked());
    };
    move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        let sent = list.get();
        let in_progress = drafts_list.get();
        view! {
            <Title text=t.my_title/>
            <h1>{t.my_title}</h1>
            <p class="lead">{t.my_intro}</p>
            {(!in_progress.is_empty()).then(|| view! {
                <h2>{t.my_drafts}</h2>
                <ul class="card-list">
                    {in_progress.into_iter().map(|(code, d)| {
                        let c2 = code.clone();
                        let discard = move |_| {
                            drafts::discard(&c2);
                            drafts_list.set(drafts::all());
                        };
                        view! {
                            <li class="card">
                                <p class="card__title">{d.procedure_name.get(lang).to_string()}</p>
                                <div class="actions">
                                    <A href=format!("/services/{code}/apply") attr:class="btn btn-primary">{t.draft_continue}</A>
                                    <button type="button" class="btn btn-secondary" on:click=discard>{t.draft_discard}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <div class="my-head">
                <h2>{t.my_sent}</h2>
                {(!sent.is_empty()).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-small" on:click=move |_| refresh()
                        aria-disabled=move || refreshing.get().to_string()>
                        {move || if refreshing.get() { i18n.t().my_refreshing } else { i18n.t().my_refresh }}
                    </button>
                })}
            </div>
            {move || failed.get().then(|| view! { <p class="notice notice--warn" role="status">{i18n.t().my_offline}</p> })}
            {if sent.is_empty() {
                view! { <p>{t.my_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="card-list">
                        {sent.into_iter().map(|d| {
                            let status = d.status.and_then(cuaso_domain::status::Status::from_code);
                            let changed = d.changed();
                            let code = d.code.clone();
                            let d2 = d.code.clone();
                            let checked = (d.checked > 0.0).then(|| {
                                let dt = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(d.checked));
                                format!("{:02}:{:02} {:02}/{:02}/{}", dt.get_hours(), dt.get_minutes(), dt.get_date(), dt.get_month() + 1, dt.get_full_year())
                            });
                            view! {
                                <li class=if changed { "card card--changed" } else { "card" }>
                                    <A href=format!("/track/{}", d.code) attr:class="card__link">
                                        <span class="card__title code">{d.code.clone()}</span>
                                        <span>{d.name.get(lang).to_string()}</span>
                                        {status.map(|s| view! { <span class="strong">{s.name(lang)}</span> })}
                                        {changed.then(|| view! { <span class="badge badge-new">{t.my_changed}</span> })}
                                    </A>
                                    {checked.map(|c| view! { <p class="hint">{fill(t.my_checked, &[("time", &c)])}</p> })}
                                    <button type="button" class="btn btn-link btn-small" on:click=move |_| remove(code.clone())>
                                        {t.my_remove}<span class="visually-hidden">{format!(" {}", d2)}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        }
    }
}
