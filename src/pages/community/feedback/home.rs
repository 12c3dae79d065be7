//! `/feedback`: report a problem, the reports sent from this device with
//! their status, a lookup by code and secret, and the public list of
//! answered reports (what they said and the answer; never who sent them).

use cuaso_domain::feedback::{FeedbackPage, FeedbackView};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::store::{self, Mine};
use super::{category_label, category_text, status_class, status_label, Label};
use crate::api::{self, Remote};
use crate::components::status::{ErrorPanel, Loading};
use crate::i18n::{fill, tr, use_i18n, Strings};
use crate::dates::date_vn;

// Plain functions, not components, and `Either` rather than `into_any`:
// every erased view costs slots in the main module's function table,
// which every first visit downloads (see the byte budget).

pub fn home_page() -> impl IntoView {
    let has_draft = store::load_draft().is_some_and(|d| !d.is_empty());
    let button: Label = if has_draft {
        |t| t.fb_continue_draft
    } else {
        |t| t.fb_report_button
    };
    view! {
        <Title text=tr(|t| t.page_feedback)/>
        <h1>{tr(|t| t.page_feedback)}</h1>
        <p class="lead">{tr(|t| t.fb_intro)}</p>
        <p class="fb-cta">
            <a href="/feedback/new" class="btn btn-primary btn-block">{tr(button)}</a>
        </p>
        {my_reports()}
        {lookup()}
        {public_list()}
    }
}

/// "Phản ánh của tôi": reports sent from this device, their status asked
/// afresh (with each one's secret) when the page opens.
fn my_reports() -> impl IntoView {
    let i18n = use_i18n();
    let list = RwSignal::new(store::mine());
    let failed = RwSignal::new(false);
    // Started here, inside the page's owner: leaving the page aborts them.
    let lang = i18n.locale.get_untracked().code();
    let requests: Vec<_> = list
        .get_untracked()
        .into_iter()
        .take(20)
        .map(|m| {
            let code = m.code.clone();
            let fut = api::feedback(&m.code, Some(&m.secret), lang);
            async move { (code, fut.await) }
        })
        .collect();
    if !requests.is_empty() {
        leptos::task::spawn_local(async move {
            for (code, answer) in futures::future::join_all(requests).await {
                match answer {
                    Ok(v) => store::set_status(&code, v.status, false),
                    Err(_) => {
                        failed.try_set(true);
                    }
                }
            }
            list.try_set(store::mine());
        });
    }
    let remove = move |code: String| {
        store::forget(&code);
        list.set(store::mine());
    };
    move || {
        let t = i18n.t();
        let mine = list.get();
        view! {
            <section class="fb-section" aria-labelledby="fb-mine-heading">
                <h2 id="fb-mine-heading">{t.fb_mine_title}</h2>
                {failed.get().then(|| view! { <p class="notice notice--warn" role="status">{t.fb_mine_offline}</p> })}
                {if mine.is_empty() {
                    Either::Left(view! { <p>{t.fb_mine_none}</p> })
                } else {
                    Either::Right(view! {
                        <ul class="card-list">
                            {mine.into_iter().map(|m| mine_card(m, t, remove)).collect_view()}
                        </ul>
                        <p class="hint">{t.fb_mine_hint}</p>
                    })
                }}
            </section>
        }
    }
}

fn mine_card(
    m: Mine,
    t: &'static Strings,
    remove: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let changed = m.changed();
    let code = m.code.clone();
    let hidden = format!(" {}", m.code);
    view! {
        <li class=if changed { "card card--changed" } else { "card" }>
            <a href=format!("/feedback/{}", m.code) class="card__link">
                <span class="card__title">{m.title.clone()}</span>
                <span class="code">{m.code.clone()}</span>
                <span>{format!("{} · {}", category_text(t, &m.category), date_vn(&m.received_at))}</span>
                <span><span class=status_class(m.status)>{status_label(t, m.status)}</span></span>
                {changed.then(|| view! { <span class="badge badge-new">{t.my_changed}</span> })}
            </a>
            <button type="button" class="btn btn-link btn-small" on:click=move |_| remove(code.clone())>
                {t.my_remove}<span class="visually-hidden">{hidden}</span>
            </button>
        </li>
    }
}

/// Look a report up by its code, and its secret to see everything.
fn lookup() -> impl IntoView {
    let navigate = use_navigate();
    let code = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(c) = cuaso_domain::feedback::normalize_code(&code.get_untracked()) else {
            error.set(true);
            crate::dom::focus_id("fb-code");
            return;
        };
        error.set(false);
        let s = secret.get_untracked().trim().to_string();
        if !s.is_empty() {
            store::remember_typed(&c, Some(s));
        }
        navigate(&format!("/feedback/{c}"), Default::default());
    };
    view! {
        <section class="fb-section" aria-labelledby="fb-lookup-heading">
            <h2 id="fb-lookup-heading">{tr(|t| t.fb_lookup_title)}</h2>
            <form class="question" novalidate on:submit=submit>
                <div class=move || if error.get() { "form-group form-group--error" } else { "form-group" }>
                    <label class="label" for="fb-code">{tr(|t| t.fb_code_label)}</label>
                    <p class="hint" id="fb-code-hint">{tr(|t| t.fb_code_hint)}</p>
                    {move || error.get().then(|| view! {
                        <p class="field-error" id="fb-code-error" role="alert">{tr(|t| t.fb_code_error)}</p>
                    })}
                    <input class="input input--w12" id="fb-code" name="code" type="text" autocomplete="off" spellcheck="false"
                        autocapitalize="characters"
                        aria-describedby=move || if error.get() { "fb-code-hint fb-code-error" } else { "fb-code-hint" }
                        aria-invalid=move || error.get().to_string()
                        prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                </div>
                <div class="form-group">
                    <label class="label" for="fb-lookup-secret">{tr(|t| t.fb_secret_label)}" "{tr(|t| t.optional)}</label>
                    <p class="hint" id="fb-lookup-secret-hint">{tr(|t| t.fb_secret_hint)}</p>
                    <input class="input input--w12" id="fb-lookup-secret" name="secret" type="text" autocomplete="off"
                        spellcheck="false" aria-describedby="fb-lookup-secret-hint"
                        prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="btn btn-secondary">{tr(|t| t.fb_lookup_button)}</button>
            </form>
        </section>
    }
}

/// The published reports, newest answer first, a page at a time (the API
/// also filters by category; the list is short enough without it for now).
fn public_list() -> impl IntoView {
    let page = RwSignal::new(1u32);
    let list = Remote::new(move || api::feedback_list(page.get(), None));
    view! {
        <section class="fb-section" aria-labelledby="fb-public-heading">
            <h2 id="fb-public-heading">{tr(|t| t.fb_public_title)}</h2>
            <p>{tr(|t| t.fb_public_intro)}</p>
            {move || match list.get() {
                None => EitherOf3::A(view! { <Loading/> }),
                Some(Ok(p)) => EitherOf3::B(public_page(p, page)),
                Some(Err(error)) => EitherOf3::C(view! { <ErrorPanel error retry=move || list.refetch()/> }),
            }}
        </section>
    }
}

fn public_page(p: FeedbackPage, page: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let pages = p.total.div_ceil(p.page_size.max(1)).max(1);
    let current = p.page;
    move || {
        let t = i18n.t();
        if p.items.is_empty() {
            return Either::Left(view! { <p class="empty">{t.fb_public_none}</p> });
        }
        Either::Right(view! {
            <ul class="card-list fb-public">
                {p.items.clone().into_iter().map(|v| public_card(v, t)).collect_view()}
            </ul>
            {(pages > 1).then(|| view! {
                <nav class="pagination" aria-label=t.pagination_label>
                    {(current > 1).then(|| view! {
                        <button type="button" class="btn btn-secondary" on:click=move |_| page.set(current - 1)>{t.page_prev}</button>
                    })}
                    <span>{fill(t.page_of, &[("n", &current.to_string()), ("total", &pages.to_string())])}</span>
                    {(current < pages).then(|| view! {
                        <button type="button" class="btn btn-secondary" on:click=move |_| page.set(current + 1)>{t.page_next}</button>
                    })}
                </nav>
            })}
        })
    }
}

/// One published report: what it said, its photos and the answer.
fn public_card(v: FeedbackView, t: &'static Strings) -> Option<impl IntoView> {
    let c = v.content?;
    let mut meta = vec![category_label(t, v.category).to_string()];
    if !v.commune.is_empty() {
        meta.push(v.commune.clone());
    }
    meta.push(date_vn(&v.received_at));
    let n = c.photos.len();
    let title = c.title.clone();
    Some(view! {
        <li class="card fb-card">
            <h3 class="fb-card__title"><a href=format!("/feedback/{}", v.code)>{c.title.clone()}</a></h3>
            <p class="fb-meta">{meta.join(" · ")}</p>
            <p class="fb-text fb-text--clamp">{c.description.clone()}</p>
            {(n > 0).then(|| view! {
                <ul class="fb-thumbs">
                    {c.photos.iter().enumerate().map(|(i, url)| view! {
                        <li><img class="fb-thumb" src=api::feedback_photo_src(url) loading="lazy" width="96" height="72"
                            alt=fill(t.fb_photo_alt, &[("n", &(i + 1).to_string()), ("total", &n.to_string()), ("title", &title)])/></li>
                    }).collect_view()}
                </ul>
            })}
            {c.answer.map(|a| view! {
                <div class="fb-answer">
                    <p class="fb-answer__by">{fill(t.fb_answer_by, &[("agency", &a.agency), ("date", &date_vn(&a.at))])}</p>
                    <p class="fb-text">{a.text}</p>
                </div>
            })}
        </li>
    })
}
