//! How to pay a fee: a VietQR code any Vietnamese banking app scans, and the
//! same details as text, each with a button that copies it. On a dossier's
//! receipt and on its tracking page when payment is asked for.

use cuaso_domain::form::PaymentAccount;
use cuaso_domain::money::format_vnd;
use leptos::prelude::*;

use crate::components::qr::Qr;
use crate::i18n::{fill, Strings};

/// A value with a button that copies it: `shown` as people read it,
/// `copied` as a banking app takes it (the amount's digits only).
fn copy_row(label: &'static str, shown: String, copied_text: String, t: &'static Strings) -> impl IntoView {
    let copied = RwSignal::new(false);
    let v = copied_text;
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&v);
            copied.set(true);
        }
    };
    view! {
        <div class="copy-row">
            <dt>{label}</dt>
            <dd><span class="copy-row__value">{shown}</span>
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
    let demo = cuaso_domain::vietqr::is_demo_account(&p.account);
    let same = |s: String| (s.clone(), s);
    view! {
        <section class="receipt__pay" aria-labelledby="pay-heading">
            <h2 id="pay-heading">{t.pay_title}</h2>
            <p>{fill(t.pay_intro, &[("amount", &format_vnd(amount))])}</p>
            {demo.then(|| view! {
                <div class="notice notice--warn"><p class="strong">{t.pay_demo_title}</p><p>{t.pay_demo_body}</p></div>
            })}
            {payload.map(|pl| view! {
                <div class="qr-box"><Qr text=pl label=t.pay_qr_label.to_string()/></div>
            })}
            <dl class="copy-list">
                {copy_row(t.pay_amount, format_vnd(amount), amount.to_string(), t)}
                {let (a, b) = same(p.account_name.clone()); copy_row(t.pay_account_name, a, b, t)}
                {let (a, b) = same(p.account.clone()); copy_row(t.pay_account, a, b, t)}
                <div class="copy-row"><dt>{t.pay_bank}</dt><dd>{p.bank_name.clone()}</dd></div>
                {let (a, b) = same(purpose.to_string()); copy_row(t.pay_content, a, b, t)}
            </dl>
            <p class="hint">{t.pay_note}</p>
        </section>
    }
}
