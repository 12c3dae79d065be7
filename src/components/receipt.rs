//! The printable receipt of a dossier (GOV.UK confirmation pattern): the
//! code in large type, a QR code to follow it, the promised date, what
//! happens next, who to contact, and the fee with a way to pay it. Shown to
//! the citizen who sent it (`/my/{code}`) and by a community helper handing
//! it over (`/helper/handover/{code}`). It prints on one page.

use cuaso_domain::form::DossierReceipt;
use cuaso_domain::money::format_vnd;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::payment::payment_panel;
use crate::components::qr::Qr;
use crate::config::use_config;
use crate::dates::date_vn;
use crate::i18n::{fill, Strings};

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

/// A receipt a community helper hands over: who helped, in words, and the
/// citizen it is for (the name in their consent).
pub struct Assisted {
    pub by: String,
    pub citizen: String,
}

/// The printable receipt. `assisted`: a community helper hands it over
/// (who helped, and to whom: the citizen is named so the receipt goes to
/// the right person); its QR code and link then carry the secret (in the
/// fragment, never sent to a server), so the citizen's phone opens the
/// whole dossier, and the buttons that keep it on this device are left out.
pub fn render(
    r: DossierReceipt,
    t: &'static Strings,
    lang: &'static str,
    assisted: Option<Assisted>,
) -> impl IntoView {
    let handover = assisted.is_some();
    let issuer = fill(t.receipt_issuer, &[("operator", use_config().with_untracked(|c| c.operator.name.get(lang).to_string()).as_str())]);
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
            <p class="receipt-issuer">{issuer}</p>
            <div class="panel-confirm">
                <h1>{t.receipt_title}</h1>
                <p>{t.receipt_code_label}</p>
                <p class="dossier-code">{r.code.clone()}</p>
            </div>
            <p class="lead">{r.procedure_name.get(lang).to_string()}</p>
            <dl class="facts">
                {assisted.as_ref().map(|a| view! {
                    <div><dt>{t.hp_receipt_citizen}</dt><dd class="strong">{a.citizen.clone()}</dd></div>
                })}
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
            {assisted.map(|a| view! { <p class="hint">{a.by}</p> })}
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

