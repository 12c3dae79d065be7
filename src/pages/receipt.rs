//! `/my/{code}`: the confirmation of a dossier sent from this device (GOV.UK
//! confirmation pattern): the code in large type, a QR code to follow it,
//! the promised date, what happens next, who to contact, and the fee with a
//! VietQR code any Vietnamese banking app scans. It prints as a one-page
//! receipt.

use cuaso_domain::form::{DossierReceipt, PaymentAccount};
use cuaso_domain::money::format_vnd;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::qr::Qr;
use crate::dates::date_vn;
use crate::drafts;
use crate::i18n::{fill, use_i18n, Strings};

/// The link a helper hands over: the tracking page with the secret in the
/// fragment (`#s=`), which the tracking page reads, keeps on the citizen's
/// device and removes from the address bar.
pub fn handover_link(code: &str, secret: &str) -> String {
    format!("{}/track/{code}#s={secret}", origin())
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let i18n = use_i18n();
    move || {
        let code = params.with(|p| p.get("code").unwrap_or_default());
        let t = i18n.t();
        let lang = i18n.locale().code();
        match drafts::sent_one(&code) {
            Some(r) => render(r, t, lang, None).into_any(),
            None => view! {
                <Title text=t.receipt_missing_title/>
                <h1>{t.receipt_missing_title}</h1>
                <p>{t.receipt_missing_body}</p>
                <p><A href=format!("/track/{code}") attr:class="btn btn-primary">{t.track_this}</A></p>
            }
            .into_any(),
        }
    }
}

/// A value with a button that copies it.
fn copy_row(label: &'static str, value: String, t: &'static Strings) -> impl IntoView {
    let copied = RwSignal::new(false);
    let v = value.clone();
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&v);
            copied.set(true);
        }
    };
    view! {
        <div class="copy-row">
            <dt>{label}</dt>
            <dd><span class="copy-row__value">{value}</span>
                <button type="button" class="btn btn-secondary btn-small no-print" on:click=copy>
                    {move || if copied.get() { t.copied } else { t.copy }}
                    <span class="visually-hidden">{format!(" {label}")}</span>
                </button>
            </dd>
        </div>
    }
}

/// How to pay a fee: a VietQR code any Vietnamese banking app scans, and
/// the same details as text with copy buttons.
pub fn payment_panel(
    amount: u64,
    p: &PaymentAccount,
    purpose: &str,
    t: &'static Strings,
) -> impl IntoView {
    let payload = cuaso_domain::vietqr::payload(&p.bank_bin, &p.account, amount, purpose).ok();
    view! {
        <section class="receipt__pay" aria-labelledby="pay-heading">
            <h2 id="pay-heading">{t.pay_title}</h2>
            <p>{fill(t.pay_intro, &[("amount", &format_vnd(amount))])}</p>
            {payload.map(|pl| view! {
                <div class="qr-box"><Qr text=pl label=t.pay_qr_label.to_string()/></div>
            })}
            <dl class="copy-list">
                {copy_row(t.pay_amount, amount.to_string(), t)}
                {copy_row(t.pay_account_name, p.account_name.clone(), t)}
                {copy_row(t.pay_account, p.account.clone(), t)}
                <div class="copy-row"><dt>{t.pay_bank}</dt><dd>{p.bank_name.clone()}</dd></div>
                {copy_row(t.pay_content, purpose.to_string(), t)}
            </dl>
            <p class="hint">{t.pay_note}</p>
        </section>
    }
}

/// The printable receipt. `assisted`: a community helper hands it over
/// (who helped); its QR code and link then carry the secret (in the
/// fragment, never sent to a server), so the citizen's phone opens the
/// whole dossier, and the buttons that keep it on this device are left out.
pub fn render(
    r: DossierReceipt,
    t: &'static Strings,
    lang: &'static str,
    assisted: Option<String>,
) -> impl IntoView {
    let handover = assisted.is_some();
    let track_url = if handover {
        handover_link(&r.code, &r.secret)
    } else {
        format!("{}/track/{}", origin(), r.code)
    };
    let payment = r
        .payment
        .clone()
        .filter(|_| r.fee > 0)
        .map(|p| payment_panel(r.fee, &p, &r.code, t));
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <Title text=t.receipt_title/>
        <article class="receipt">
            <div class="panel-confirm">
                <h1>{t.receipt_title}</h1>
                <p>{t.receipt_code_label}</p>
                <p class="dossier-code">{r.code.clone()}</p>
            </div>
            <p class="lead">{r.procedure_name.get(lang).to_string()}</p>
            <dl class="facts">
                <div><dt>{t.receipt_received}</dt><dd>{date_vn(&r.received_at)}</dd></div>
                <div><dt>{t.receipt_promised}</dt><dd class="strong">{date_vn(&r.promised_date)}</dd></div>
                <div><dt>{t.receipt_status}</dt><dd>{t.status_1}</dd></div>
                <div><dt>{t.receipt_fee}</dt><dd>{if r.fee == 0 { t.fee_free.to_string() } else { format_vnd(r.fee) }}</dd></div>
                <div><dt>{t.receipt_secret}</dt><dd><span class="code">{r.secret.clone()}</span><span class="hint">{if handover { t.hp_secret_hint } else { t.receipt_secret_hint }}</span></dd></div>
            </dl>
            <section class="receipt__track" aria-labelledby="track-heading">
                <h2 id="track-heading">{t.receipt_track_title}</h2>
                <div class="qr-box"><Qr text=track_url.clone() label=fill(t.receipt_track_qr_label, &[("code", &r.code)])/></div>
                <p class="hint">{track_url}</p>
            </section>
            <section aria-labelledby="next-heading">
                <h2 id="next-heading">{t.next_title}</h2>
                <ol class="steps">
                    <li>{t.next_1}</li>
                    {(r.fee > 0).then(|| view! { <li>{t.next_pay}</li> })}
                    <li>{fill(t.next_2, &[("date", &date_vn(&r.promised_date))])}</li>
                    <li>{t.next_3}</li>
                </ol>
            </section>
            {payment}
            <section aria-labelledby="contact-heading">
                <h2 id="contact-heading">{t.contact_title}</h2>
                <p class="strong">{r.agency.get(lang).to_string()}</p>
                <p>{r.contact.get(lang).to_string()}</p>
            </section>
            {assisted.map(|by| view! { <p class="hint">{by}</p> })}
            <div class="actions no-print">
                <button type="button" class="btn btn-primary" on:click=print>{t.print_receipt}</button>
                {(!handover).then(|| view! {
                    <A href=format!("/track/{}", r.code) attr:class="btn btn-secondary">{t.track_this}</A>
                    <A href="/my" attr:class="btn btn-secondary">{t.my_title}</A>
                })}
            </div>
        </article>
    }
}

/// `/my`: dossiers followed from this device with their latest status (one
/// request for all of them), and applications in progress.
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

/// On the home page, for a device with applications in progress.
#[component]
pub fn DraftsBanner() -> impl IntoView {
    let i18n = use_i18n();
    let list = drafts::all();
    (!list.is_empty()).then(|| {
        move || {
            let t = i18n.t();
            let lang = i18n.locale().code();
            view! {
                <section class="drafts-banner" aria-labelledby="drafts-heading">
                    <h2 id="drafts-heading">{t.drafts_heading}</h2>
                    <ul>
                        {list.clone().into_iter().map(|(code, d)| view! {
                            <li><A href=format!("/services/{code}/apply")>{fill(t.draft_continue_named, &[("name", d.procedure_name.get(lang))])}</A></li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        }
    })
}
