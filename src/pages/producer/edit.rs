//! `/producer/products/{gtin}/edit`: a correction proposal for what a
//! producer may change (description, points of sale, photos). Checked on the
//! device with the server's own rules (`check_proposal`), each problem at its
//! field; kept on the device until it is saved, so a reload loses nothing.
//! "Lưu nháp" keeps it as a draft, "Gửi duyệt" sends it to an officer; the
//! public page keeps the approved version until then.

use cuaso_domain::api::Text;
use cuaso_domain::producer::{check_proposal, ListingDetail, ListingStatus, Proposal, ProposalRequest};
use cuaso_domain::product::{Photo, PointOfSale};
use cuaso_domain::validate::Problem;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::components::error_summary::{ErrorAlert, ErrorSummary, Follow};
use crate::dom::{focus_id, picked_files};
use crate::i18n::{fill, tr, use_i18n, Strings};
use crate::storage;

use super::detail::{back_to, fetch_detail};
use super::listings::status_class;
use super::{ensure, error_text, is_signed_out, private_view, use_to_login, DRAFT_PREFIX};

#[component]
pub fn EditPage(gtin: String) -> impl IntoView {
    let back = format!("/producer/products/{gtin}");
    let res = fetch_detail(gtin);
    view! {
        <Title text=tr(|t| t.pr_edit_title)/>
        {back_to(back, |t| t.pr_back_to_product)}
        {private_view(res, |d| view! { <EditForm d/> })}
    }
}

/// The form's state, shared by its parts.
#[derive(Clone, Copy)]
struct Ctx {
    prop: RwSignal<Proposal>,
    problems: RwSignal<Vec<(String, String)>>,
    key: StoredValue<String>,
}

impl Ctx {
    /// Changes the proposal and keeps it on the device.
    fn edit(self, f: impl FnOnce(&mut Proposal)) {
        self.prop.update(f);
        self.prop.with_untracked(|p| {
            if let Ok(s) = serde_json::to_string(p) {
                storage::set(&self.key.get_value(), &s);
            }
        });
    }

    fn err(self, key: String) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
        let problems = self.problems;
        move || {
            problems.with(|v| v.iter().find(|(k, _)| *k == key).map(|(_, m)| m.clone()))
        }
    }
}

/// The input a problem key is shown at: `points_of_sale.0.url` →
/// `p-points_of_sale-0-url`.
fn id_of(key: &str) -> String {
    format!("p-{}", key.replace('.', "-"))
}

/// One labelled text input (or text area) bound to a part of the proposal.
fn text_field(
    ctx: Ctx,
    key: String,
    label: fn(&'static Strings) -> &'static str,
    multiline: bool,
    get: impl Fn(&Proposal) -> String + Clone + Send + Sync + 'static,
    set: impl Fn(&mut Proposal, String) + Clone + 'static,
) -> AnyView {
    let id = id_of(&key);
    let eid = format!("{id}-error");
    let err = ctx.err(key);
    let (e1, e2, e3) = (err.clone(), err.clone(), err.clone());
    let eid2 = eid.clone();
    let described = move || e2().map(|_| eid2.clone());
    let invalid = move || e3().is_some().to_string();
    let value = move || ctx.prop.with(|p| get(p));
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let set = set.clone();
        ctx.edit(move |p| set(p, v));
    };
    let input = if multiline {
        view! {
            <textarea class="textarea" id=id.clone() rows="6" aria-invalid=invalid aria-describedby=described
                prop:value=value on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input class="input" type="text" id=id.clone() aria-invalid=invalid aria-describedby=described
                prop:value=value on:input=on_input/>
        }
        .into_any()
    };
    view! {
        <div class=move || if e1().is_some() { "form-group form-group--error" } else { "form-group" }>
            <label class="label" for=id>{tr(label)}</label>
            {move || err().map(|m| view! { <p class="field-error" id=eid.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p> })}
            {input}
        </div>
    }
    .into_any()
}

fn empty_text() -> Text {
    Text {
        vi: String::new(),
        en: String::new(),
    }
}

/// The name of the field a problem key points at, for the error summary.
fn field_label(t: &'static Strings, key: &str) -> String {
    let parts: Vec<&str> = key.split('.').collect();
    let nth = |template: &str, i: &str| {
        let n = i.parse::<usize>().map_or(0, |n| n + 1);
        fill(template, &[("n", &n.to_string())])
    };
    match parts.as_slice() {
        ["description", "en"] => t.pr_description_en.into(),
        ["description", ..] => t.pr_description_vi.into(),
        ["points_of_sale"] => t.where_to_buy.into(),
        ["photos"] => t.pr_photos.into(),
        ["points_of_sale", i, rest @ ..] => {
            let field = match rest.first() {
                Some(&"name") => t.pr_pos_name,
                Some(&"address") => t.pr_pos_address,
                Some(&"url") => t.pr_pos_url,
                _ => "",
            };
            format!("{} – {field}", nth(t.pr_pos_n, i)).trim_end_matches(" – ").to_string()
        }
        ["photos", i, rest @ ..] => {
            let field = if rest.first() == Some(&"alt") { t.pr_photo_alt } else { "" };
            format!("{} – {field}", nth(t.pr_photo_n, i)).trim_end_matches(" – ").to_string()
        }
        _ => key.to_string(),
    }
}

#[component]
fn EditForm(d: ListingDetail) -> impl IntoView {
    let i18n = use_i18n();
    let to_login = use_to_login();
    let product = StoredValue::new(d.product.clone());
    let key = format!("{DRAFT_PREFIX}{}.{}", d.product.producer.id, d.product.gtin);
    let kept: Option<Proposal> = storage::get(&key).and_then(|s| serde_json::from_str(&s).ok());
    let restored = kept.is_some();
    let initial = kept
        .or(d.proposal.clone())
        .unwrap_or_else(|| Proposal::of(&d.product));
    let ctx = Ctx {
        prop: RwSignal::new(initial),
        problems: RwSignal::new(Vec::new()),
        key: StoredValue::new(key),
    };
    let status = RwSignal::new(d.status);
    let has_proposal = RwSignal::new(d.proposal.is_some());
    let outcome = RwSignal::new(None::<String>);
    let alert = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let uploading = RwSignal::new(false);
    let gtin = StoredValue::new(d.product.gtin.clone());

    // Problems found, worded, in form order; focus goes to their summary.
    let show_problems = move |found: Vec<(String, String)>| {
        outcome.set(None);
        ctx.problems.set(found);
        focus_id("edit-errors");
    };
    let fail = {
        let to_login = to_login.clone();
        move |e: api::MeError| {
            let t = i18n.t();
            let lang = i18n.locale().code();
            if is_signed_out(&e.error) {
                // The edit stays on the device; it is here after login.
                to_login();
                return;
            }
            if let api::ApiError::Client { body, .. } = &e.error {
                if !body.fields.is_empty() {
                    show_problems(
                        body.fields
                            .iter()
                            .map(|f| {
                                let m = Problem::from_code(&f.code, &f.args)
                                    .map(|p| p.message(lang))
                                    .unwrap_or_else(|| f.message.clone());
                                (f.field.clone(), m)
                            })
                            .collect(),
                    );
                    return;
                }
            }
            alert.set(Some(error_text(t, &e.error)));
            focus_id("edit-alert");
        }
    };

    let save = {
        let fail = fail.clone();
        move |submit: bool| {
            if busy.get_untracked() {
                return;
            }
            let lang = i18n.locale().code();
            let p = ctx.prop.get_untracked();
            let found = check_proposal(&p);
            alert.set(None);
            if !found.is_empty() {
                show_problems(found.into_iter().map(|(k, pr)| (k, pr.message(lang))).collect());
                return;
            }
            ctx.problems.set(Vec::new());
            busy.set(true);
            let fail = fail.clone();
            let gtin = gtin.get_value();
            leptos::task::spawn_local(async move {
                let result = match ensure(lang).await {
                    Ok(_) => {
                        api::save_proposal(&gtin, &ProposalRequest { proposal: p, submit }, lang).await
                    }
                    Err(e) => Err(e),
                };
                busy.set(false);
                match result {
                    Ok(d) => {
                        storage::remove(&ctx.key.get_value());
                        status.set(d.status);
                        has_proposal.set(d.proposal.is_some());
                        let t = i18n.t();
                        let head = if submit { t.pr_sent } else { t.pr_saved_draft };
                        outcome.set(Some(format!(
                            "{} {}",
                            fill(head, &[("status", d.status.label(lang))]),
                            t.pr_public_keeps
                        )));
                        focus_id("edit-outcome");
                    }
                    Err(e) => fail(e),
                }
            });
        }
    };
    let save2 = save.clone();

    let withdraw = {
        let fail = fail.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let lang = i18n.locale().code();
            let gtin = gtin.get_value();
            let fail = fail.clone();
            leptos::task::spawn_local(async move {
                let result = match ensure(lang).await {
                    Ok(_) => api::withdraw_proposal(&gtin, lang).await,
                    Err(e) => Err(e),
                };
                busy.set(false);
                match result {
                    Ok(()) => {
                        storage::remove(&ctx.key.get_value());
                        ctx.prop.set(Proposal::of(&product.get_value()));
                        ctx.problems.set(Vec::new());
                        status.set(ListingStatus::Published);
                        has_proposal.set(false);
                        outcome.set(Some(i18n.t().pr_withdrawn.into()));
                        focus_id("edit-outcome");
                    }
                    Err(e) => fail(e),
                }
            });
        }
    };

    // A photo picked: made smaller on the device, uploaded, then its
    // description is asked for.
    let on_pick = {
        let fail = fail.clone();
        move |ev: leptos::ev::Event| {
            let Some(file) = picked_files(&ev).and_then(|f| f.into_iter().next()) else {
                return;
            };
            uploading.set(true);
            let lang = i18n.locale().code();
            let fail = fail.clone();
            leptos::task::spawn_local(async move {
                let original: web_sys::Blob = file.clone().into();
                let name = file.name();
                let (blob, name) = match crate::images::downscale(&original).await {
                    Some(small) => (small, "photo.jpg".to_string()),
                    None => (original, name),
                };
                let result = match ensure(lang).await {
                    Ok(_) => api::upload_photo(&blob, &name, lang).await,
                    Err(e) => Err(e),
                };
                uploading.set(false);
                match result {
                    Ok(url) => {
                        let mut i = 0;
                        ctx.edit(|p| {
                            p.photos.push(Photo { url, alt: empty_text() });
                            i = p.photos.len() - 1;
                        });
                        focus_id(format!("p-photos-{i}-alt-vi"));
                    }
                    Err(e) => fail(e),
                }
            });
        }
    };

    let pos_count = Memo::new(move |_| ctx.prop.with(|p| p.points_of_sale.len()));
    let photo_count = Memo::new(move |_| ctx.prop.with(|p| p.photos.len()));
    let err_photos = ctx.err("photos".into());
    let err_pos = ctx.err("points_of_sale".into());

    let summary = Signal::derive(move || {
        ctx.problems
            .get()
            .into_iter()
            .map(|(k, m)| {
                let m = format!("{}: {m}", field_label(i18n.t(), &k));
                let id = id_of(&k);
                (format!("#{id}"), id, m)
            })
            .collect::<Vec<_>>()
    });

    let pos_items = move || {
        (0..pos_count.get())
            .map(|i| {
                let n = (i + 1).to_string();
                let remove = move |_| {
                    ctx.edit(|p| {
                        if i < p.points_of_sale.len() {
                            p.points_of_sale.remove(i);
                        }
                    });
                    focus_id("p-points_of_sale");
                };
                view! {
                    <fieldset class="fieldset card pos">
                        <legend class="strong">{move || fill(i18n.t().pr_pos_n, &[("n", &n)])}</legend>
                        {text_field(ctx, format!("points_of_sale.{i}.name.vi"), |t| t.pr_pos_name, false,
                            move |p| p.points_of_sale.get(i).map(|s| s.name.vi.clone()).unwrap_or_default(),
                            move |p, v| if let Some(s) = p.points_of_sale.get_mut(i) { s.name.vi = v })}
                        {text_field(ctx, format!("points_of_sale.{i}.address.vi"), |t| t.pr_pos_address, false,
                            move |p| p.points_of_sale.get(i).and_then(|s| s.address.as_ref()).map(|a| a.vi.clone()).unwrap_or_default(),
                            move |p, v| if let Some(s) = p.points_of_sale.get_mut(i) {
                                let a = s.address.get_or_insert_with(empty_text);
                                a.vi = v;
                                if a.vi.is_empty() && a.en.is_empty() { s.address = None; }
                            })}
                        {text_field(ctx, format!("points_of_sale.{i}.url"), |t| t.pr_pos_url, false,
                            move |p| p.points_of_sale.get(i).and_then(|s| s.url.clone()).unwrap_or_default(),
                            move |p, v| if let Some(s) = p.points_of_sale.get_mut(i) {
                                let v = v.trim().to_string();
                                s.url = (!v.is_empty()).then_some(v);
                            })}
                        <button type="button" class="btn btn-link btn-small" on:click=remove>
                            {move || fill(i18n.t().pr_pos_remove, &[("n", &(i + 1).to_string())])}
                        </button>
                    </fieldset>
                }
            })
            .collect_view()
    };

    let photo_items = move || {
        let count = photo_count.get();
        (0..count)
            .map(|i| {
                let n = (i + 1).to_string();
                let src = move || ctx.prop.with(|p| p.photos.get(i).map(|ph| ph.url.clone()).unwrap_or_default());
                let swap = move |j: usize| {
                    ctx.edit(|p| {
                        if i < p.photos.len() && j < p.photos.len() {
                            p.photos.swap(i, j);
                        }
                    })
                };
                let remove = move |_| {
                    ctx.edit(|p| {
                        if i < p.photos.len() {
                            p.photos.remove(i);
                        }
                    });
                    focus_id("p-photos");
                };
                let n2 = n.clone();
                let n3 = n.clone();
                let url_err = ctx.err(format!("photos.{i}.url"));
                view! {
                    <li class="card photo-item" id=format!("p-photos-{i}-url") tabindex="-1">
                        <p class="strong">{move || fill(i18n.t().pr_photo_n, &[("n", &n)])}</p>
                        <img class="photo-item__img" src=src alt="" width="120" height="90"/>
                        {move || url_err().map(|m| view! { <p class="field-error">{m}</p> })}
                        {text_field(ctx, format!("photos.{i}.alt.vi"), |t| t.pr_photo_alt, false,
                            move |p| p.photos.get(i).map(|ph| ph.alt.vi.clone()).unwrap_or_default(),
                            move |p, v| if let Some(ph) = p.photos.get_mut(i) { ph.alt.vi = v })}
                        <div class="actions">
                            <button type="button" class="btn btn-secondary btn-small" disabled={i == 0} on:click=move |_| swap(i - 1)>
                                {tr(|t| t.pr_photo_up)}<span class="visually-hidden">{move || format!(" {}", fill(i18n.t().pr_photo_n, &[("n", &n2)]))}</span>
                            </button>
                            <button type="button" class="btn btn-secondary btn-small" disabled={i + 1 >= count} on:click=move |_| swap(i + 1)>
                                {tr(|t| t.pr_photo_down)}<span class="visually-hidden">{move || format!(" {}", fill(i18n.t().pr_photo_n, &[("n", &n3)]))}</span>
                            </button>
                            <button type="button" class="btn btn-link btn-small" on:click=remove>
                                {move || fill(i18n.t().pr_photo_remove, &[("n", &(i + 1).to_string())])}
                            </button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };

    let name = d.product.name.clone();
    view! {
        <h1>{move || fill(i18n.t().pr_edit_heading, &[("name", name.get(i18n.locale().code()))])}</h1>
        <p>{tr(|t| t.pr_status)}" "<span class=move || status_class(status.get())>{move || status.get().label(i18n.locale().code())}</span></p>
        <p class="hint">{tr(|t| t.pr_edit_intro)}</p>
        {restored.then(|| view! { <p class="notice">{tr(|t| t.pr_restored)}</p> })}
        {move || outcome.get().map(|m| view! {
            <div class="notice notice--ok" id="edit-outcome" role="status" tabindex="-1"><p>{m}</p></div>
        })}
        <ErrorAlert id="edit-alert" message=alert/>
        <ErrorSummary items=summary id="edit-errors" follow=Follow::Focus/>
        <form class="question" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save(true); }>
            <h2>{tr(|t| t.pr_description)}</h2>
            {text_field(ctx, "description.vi".into(), |t| t.pr_description_vi, true,
                |p| p.description.vi.clone(), |p, v| p.description.vi = v)}
            {text_field(ctx, "description.en".into(), |t| t.pr_description_en, true,
                |p| p.description.en.clone(), |p, v| p.description.en = v)}

            <h2>{tr(|t| t.where_to_buy)}</h2>
            {move || err_pos().map(|m| view! { <p class="field-error">{m}</p> })}
            {pos_items}
            <button type="button" class="btn btn-secondary" id="p-points_of_sale"
                on:click=move |_| {
                    let mut i = 0;
                    ctx.edit(|p| {
                        p.points_of_sale.push(PointOfSale { name: empty_text(), address: None, url: None, location: None });
                        i = p.points_of_sale.len() - 1;
                    });
                    focus_id(format!("p-points_of_sale-{i}-name-vi"));
                }>{tr(|t| t.pr_pos_add)}</button>

            <h2>{tr(|t| t.pr_photos)}</h2>
            <p class="hint" id="p-photos-hint">{tr(|t| t.pr_photos_hint)}</p>
            {move || err_photos().map(|m| view! { <p class="field-error" id="p-photos-error">{m}</p> })}
            <ol class="card-list photo-list">{photo_items}</ol>
            <div class="file-pick">
                <label class="btn btn-secondary file-pick__button" for="p-photos">{tr(|t| t.pr_photo_add)}</label>
                <input class="file-pick__input" type="file" id="p-photos" accept="image/jpeg,image/png"
                    aria-describedby="p-photos-hint" on:change=on_pick/>
            </div>
            {move || uploading.get().then(|| view! { <p class="hint" role="status">{tr(|t| t.pr_uploading)}</p> })}

            <div class="actions edit-actions">
                <button type="submit" class="btn btn-primary" aria-disabled=move || busy.get().to_string()>{tr(|t| t.pr_send)}</button>
                <button type="button" class="btn btn-secondary" aria-disabled=move || busy.get().to_string()
                    on:click=move |_| save2(false)>{tr(|t| t.pr_save_draft)}</button>
                {move || has_proposal.get().then(|| {
                    let withdraw = withdraw.clone();
                    view! { <button type="button" class="btn btn-link" on:click=withdraw>{tr(|t| t.pr_withdraw)}</button> }
                })}
            </div>
        </form>
    }
}
