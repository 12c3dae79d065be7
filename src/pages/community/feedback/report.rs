//! `/feedback/{code}/sent`: the confirmation, with the code and the secret
//! to keep. `/feedback/{code}`: the report's status and timeline (received →
//! assigned to an agency → answered, or not taken up with the reason), the
//! agency's answer in full with its date, what the report said with its
//! photos, and the rating of the answer.
//!
//! The code alone shows what the API gives without the secret: the status
//! and the dates, and the content only once the report is published. The
//! secret (kept with a report sent from this device, or typed here) shows
//! everything; photos of a report that is not public are fetched with it
//! and shown from blob URLs.

use cuaso_domain::feedback::{
    check_rating, FeedbackContent, FeedbackEvent, FeedbackPrivate, FeedbackRating, FeedbackStatus,
    FeedbackView, COMMENT_MAX,
};
use cuaso_domain::ErrorCode;
use leptos::either::{Either, EitherOf3, EitherOf4};
use leptos::prelude::*;
use leptos_meta::Title;

use super::store;
use super::{blob_url, category_label, revoke, status_class, status_label, when};
use crate::api::{self, ApiError, Remote};
use crate::components::status::{ErrorPanel, Loading};
use crate::i18n::{fill, tr, use_i18n, Strings};

/// A value with a button that copies it.
fn copy_button(value: String, what: &'static str, t: &'static Strings) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&value);
            copied.set(true);
        }
    };
    view! {
        <button type="button" class="btn btn-secondary btn-small no-print" on:click=copy>
            {move || if copied.get() { t.copied } else { t.copy }}
            <span class="visually-hidden">{format!(" {what}")}</span>
        </button>
    }
}

/// The confirmation after sending.
pub fn sent_page(code: String) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = i18n.t();
        let Some(m) = store::mine_one(&code) else {
            return Either::Left(view! {
                <Title text=t.fb_sent_missing_title/>
                <h1>{t.fb_sent_missing_title}</h1>
                <p>{t.fb_sent_missing_body}</p>
                <p><a href=format!("/feedback/{code}") class="btn btn-primary">{t.fb_follow}</a></p>
            });
        };
        Either::Right(view! {
            <Title text=t.fb_sent_title/>
            <article class="receipt fb-sent">
                <div class="panel-confirm">
                    <h1>{t.fb_sent_title}</h1>
                    <p>{t.fb_code_yours}</p>
                    <p class="dossier-code">{m.code.clone()}</p>
                </div>
                <section class="fb-secret" aria-labelledby="fb-secret-heading">
                    <h2 id="fb-secret-heading">{t.fb_secret_keep_title}</h2>
                    <dl class="copy-list">
                        <div class="copy-row">
                            <dt>{t.fb_code_label}</dt>
                            <dd><span class="copy-row__value code">{m.code.clone()}</span>{copy_button(m.code.clone(), t.fb_code_label, t)}</dd>
                        </div>
                        <div class="copy-row">
                            <dt>{t.fb_secret_label}</dt>
                            <dd><span class="copy-row__value code fb-secret__value">{m.secret.clone()}</span>{copy_button(m.secret.clone(), t.fb_secret_label, t)}</dd>
                        </div>
                    </dl>
                    <p>{t.fb_secret_keep_body}</p>
                </section>
                <section aria-labelledby="fb-next-heading">
                    <h2 id="fb-next-heading">{t.next_title}</h2>
                    <ol class="steps">
                        <li>{t.fb_next_1}</li>
                        <li>{t.fb_next_2}</li>
                        <li>{t.fb_next_3}</li>
                    </ol>
                </section>
                <div class="actions no-print">
                    <a href=format!("/feedback/{}", m.code) class="btn btn-primary">{t.fb_follow}</a>
                    <a href="/feedback" class="btn btn-secondary">{t.fb_mine_title}</a>
                </div>
            </article>
        })
    }
}

pub fn report_page(code: String) -> impl IntoView {
    let i18n = use_i18n();
    let code = StoredValue::new(code);
    let secret = RwSignal::new(store::secret_for(&code.get_value()));
    let remote = Remote::new(move || {
        api::feedback(
            &code.get_value(),
            secret.get().as_deref(),
            i18n.locale().code(),
        )
    });
    // This device's copy of the status, now seen.
    Effect::new(move |_| {
        if let Some(Ok(v)) = remote.get() {
            if v.private.is_some() {
                store::set_status(&v.code, v.status, true);
            }
        }
    });
    let body = move || match remote.get() {
        None => EitherOf4::A(view! { <Loading/> }),
        Some(Ok(v)) => EitherOf4::B(report_view(v, secret, remote)),
        Some(Err(ApiError::Client { body, .. })) if body.code == ErrorCode::FeedbackNotFound => {
            let had_secret = secret.get_untracked().is_some();
            let t = i18n.t();
            EitherOf4::C(view! {
                <Title text=t.fb_not_found_title/>
                <div class="error-panel" role="alert">
                    <h1>{t.fb_not_found_title}</h1>
                    <p>{if had_secret { t.fb_not_found_secret } else { t.fb_not_found_body }}</p>
                    <div class="actions">
                        {had_secret.then(|| view! {
                            <button type="button" class="btn btn-primary" on:click=move |_| {
                                store::remember_typed(&code.get_value(), None);
                                secret.set(None);
                            }>
                                {t.fb_without_secret}
                            </button>
                        })}
                        <a href="/feedback" class="btn btn-secondary">{t.page_feedback}</a>
                    </div>
                </div>
            })
        }
        Some(Err(error)) => {
            EitherOf4::D(view! { <ErrorPanel error main=true retry=move || remote.refetch()/> })
        }
    };
    view! {
        <p class="back-link"><a href="/feedback">{tr(|t| t.page_feedback)}</a></p>
        {body}
    }
}

fn report_view(
    v: FeedbackView,
    secret: RwSignal<Option<String>>,
    remote: Remote<FeedbackView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let v = StoredValue::new(v);
    move || {
        let t = i18n.t();
        let v = v.get_value();
        let content = v.content.clone();
        let private = v.private.clone();
        let title = content
            .as_ref()
            .map(|c| c.title.clone())
            .unwrap_or_else(|| fill(t.fb_report_title, &[("code", &v.code)]));
        // Photos: public once published; otherwise fetched with the secret.
        let photo_secret = (!v.published).then(|| secret.get_untracked()).flatten();
        view! {
            <Title text=title.clone()/>
            <article class="fb-report">
                <header class="dossier__head">
                    <p class="dossier__code code">{v.code.clone()}</p>
                    <h1>{title.clone()}</h1>
                    <p><span class=status_class(v.status)>{status_label(t, v.status)}</span></p>
                </header>
                <dl class="facts">
                    <div><dt>{t.fb_category_label}</dt><dd>{category_label(t, v.category)}</dd></div>
                    {(!v.commune.is_empty()).then(|| view! {
                        <div><dt>{t.fb_commune_label}</dt><dd>{v.commune.clone()}</dd></div>
                    })}
                </dl>
                <section aria-labelledby="fb-timeline-heading">
                    <h2 id="fb-timeline-heading">{t.timeline_title}</h2>
                    {timeline(&v, t)}
                </section>
                {content.as_ref().and_then(|c| c.answer.clone()).map(|a| view! {
                    <section class="fb-answer fb-answer--full" aria-labelledby="fb-answer-heading">
                        <h2 id="fb-answer-heading">{t.fb_answer_title}</h2>
                        <p class="fb-answer__by">{fill(t.fb_answer_by_full, &[("agency", &a.agency), ("date", &when(&a.at))])}</p>
                        <p class="fb-text">{a.text.clone()}</p>
                    </section>
                })}
                {content.as_ref().and_then(|c| c.rejection.clone()).map(|r| view! {
                    <div class="notice notice--bad" role="status">
                        <h2>{t.fb_rejected_title}</h2>
                        <p class="fb-text">{r}</p>
                    </div>
                })}
                {content.is_none().then_some(match v.status {
                    FeedbackStatus::Answered => Some(t.fb_answer_needs_secret),
                    FeedbackStatus::Rejected => Some(t.fb_reason_needs_secret),
                    _ => None,
                }).flatten().map(|m| view! { <p class="notice">{m}</p> })}
                {private.clone().map(|p| rating_part(&v, p, secret, remote, t))}
                {content.map(|c| content_part(c, v.published, photo_secret, t))}
                {match private {
                    Some(p) => Either::Left(private_part(p, t)),
                    None => Either::Right(secret_form(v.code.clone(), secret)),
                }}
            </article>
        }
    }
}

/// The steps so far, oldest first, then those still to come (a rejection's
/// reason is shown above, with the secret).
fn timeline(v: &FeedbackView, t: &'static Strings) -> impl IntoView {
    let done = |e: &FeedbackEvent| {
        view! {
            <li class=format!("fb-step fb-step--done fb-step--{}", e.status.as_str())>
                <p class="fb-step__status">{status_label(t, e.status)}</p>
                <p class="fb-step__when">{when(&e.at)}</p>
                {e.agency.clone().map(|a| view! { <p>{fill(t.fb_step_agency, &[("agency", &a)])}</p> })}
            </li>
        }
    };
    let todo: &[FeedbackStatus] = match v.status {
        FeedbackStatus::Received => &[FeedbackStatus::Assigned, FeedbackStatus::Answered],
        FeedbackStatus::Assigned => &[FeedbackStatus::Answered],
        _ => &[],
    };
    view! {
        <ol class="fb-timeline">
            {v.timeline.iter().map(done).collect_view()}
            {todo.iter().map(|s| view! {
                <li class="fb-step fb-step--todo">
                    <p class="fb-step__status">{status_label(t, *s)}</p>
                    <p class="fb-step__when">{t.fb_step_todo}</p>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// What the report said, with its photos.
fn content_part(
    c: FeedbackContent,
    published: bool,
    secret: Option<String>,
    t: &'static Strings,
) -> impl IntoView {
    let n = c.photos.len();
    let title = c.title.clone();
    let alt = move |i: usize| {
        fill(
            t.fb_photo_alt,
            &[
                ("n", &(i + 1).to_string()),
                ("total", &n.to_string()),
                ("title", &title),
            ],
        )
    };
    let photos = if n == 0 {
        EitherOf3::A(())
    } else if published || secret.is_none() {
        EitherOf3::B(view! {
            <ul class="fb-gallery">
                {c.photos.iter().enumerate().map(|(i, url)| view! {
                    <li><img class="fb-gallery__img" src=api::feedback_photo_src(url) alt=alt(i) loading="lazy"/></li>
                }).collect_view()}
            </ul>
        })
    } else {
        EitherOf3::C(private_photos(
            c.photos.clone(),
            secret.unwrap_or_default(),
            (0..n).map(alt).collect(),
        ))
    };
    view! {
        <section aria-labelledby="fb-content-heading">
            <h2 id="fb-content-heading">{t.fb_content_title}</h2>
            <p class="fb-text">{c.description}</p>
            {photos}
            {published.then(|| view! { <p class="hint">{t.fb_published_note}</p> })}
        </section>
    }
}

/// Photos of a report that is not public: fetched with the secret and
/// shown from blob URLs, revoked when the page goes.
fn private_photos(urls: Vec<String>, secret: String, alts: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    // None while loading; Some(Err) when it could not be fetched.
    let srcs = RwSignal::new(vec![None::<Result<String, ()>>; urls.len()]);
    on_cleanup(move || {
        if let Some(list) = srcs.try_get_untracked() {
            for u in list.into_iter().flatten().flatten() {
                revoke(&u);
            }
        }
    });
    for (i, url) in urls.into_iter().enumerate() {
        let secret = secret.clone();
        leptos::task::spawn_local(async move {
            let got = api::feedback_photo(&url, &secret)
                .await
                .ok()
                .and_then(|b| blob_url(&b))
                .ok_or(());
            let kept = srcs.try_update(|l| {
                if let Some(slot) = l.get_mut(i) {
                    *slot = Some(got.clone());
                }
            });
            if kept.is_none() {
                if let Ok(u) = got {
                    revoke(&u);
                }
            }
        });
    }
    view! {
        <ul class="fb-gallery">
            {alts.into_iter().enumerate().map(|(i, alt)| view! {
                <li>{move || match srcs.with(|l| l.get(i).cloned().flatten()) {
                    Some(Ok(src)) => Either::Left(view! { <img class="fb-gallery__img" src=src alt=alt.clone()/> }),
                    None => Either::Right(view! { <span class="fb-gallery__wait">{i18n.t().loading}</span> }),
                    Some(Err(())) => Either::Right(view! {
                        <span class="fb-gallery__wait">{fill(i18n.t().fb_photo_unavailable, &[("n", &(i + 1).to_string())])}</span>
                    }),
                }}</li>
            }).collect_view()}
        </ul>
    }
}

/// Where it is and who sent it: only with the secret.
fn private_part(p: FeedbackPrivate, t: &'static Strings) -> impl IntoView {
    let l = p.location;
    let mut place = Vec::new();
    if let Some(pos) = &l.position {
        place.push(fill(
            t.fb_position_set,
            &[
                ("lat", &format!("{:.5}", pos.lat)),
                ("lon", &format!("{:.5}", pos.lon)),
            ],
        ));
    }
    let address = [l.address.trim(), l.commune.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    if !address.is_empty() {
        place.push(address);
    }
    let c = p.contact;
    let who = if c.is_anonymous() {
        t.fb_anonymous.to_string()
    } else {
        [c.name, c.phone, c.email]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    view! {
        <section aria-labelledby="fb-private-heading">
            <h2 id="fb-private-heading">{t.fb_private_title}</h2>
            <dl class="facts">
                <div><dt>{t.fb_location_label}</dt><dd>{place.join(" · ")}</dd></div>
                <div><dt>{t.fb_contact_short}</dt><dd>{who}</dd></div>
            </dl>
            <p class="hint">{t.fb_private_note}</p>
        </section>
    }
}

/// The rating: the form while it can be given, then what was given.
fn rating_part(
    v: &FeedbackView,
    p: FeedbackPrivate,
    secret: RwSignal<Option<String>>,
    remote: Remote<FeedbackView>,
    t: &'static Strings,
) -> impl IntoView {
    if p.can_rate {
        return Some(Either::Left(rating_form(v.code.clone(), secret, remote)));
    }
    p.rating.map(|r| Either::Right(view! {
            <section class="notice notice--ok fb-rated" aria-labelledby="fb-rated-heading">
                <h2 id="fb-rated-heading">{fill(t.fb_rated, &[("n", &r.stars.to_string())])}</h2>
                <p class="fb-stars-shown" aria-hidden="true">{"★".repeat(r.stars as usize)}{"☆".repeat(5usize.saturating_sub(r.stars as usize))}</p>
                {r.comment.map(|c| view! { <p class="fb-text">{c}</p> })}
            </section>
    }))
}

/// 1–5 stars and an optional comment, sent once.
fn rating_form(
    code: String,
    secret: RwSignal<Option<String>>,
    remote: Remote<FeedbackView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let stars = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let t = i18n.t();
        let lang = i18n.locale().code();
        let c = comment.get_untracked().trim().to_string();
        let r = FeedbackRating {
            stars: stars.get_untracked(),
            comment: (!c.is_empty()).then_some(c),
        };
        if let Some((k, p)) = check_rating(&r).into_iter().next() {
            error.set(Some(if k == "stars" {
                t.rating_choose.to_string()
            } else {
                p.message(lang)
            }));
            crate::dom::focus_id(if k == "stars" {
                "fb-star-1"
            } else {
                "fb-rating-comment"
            });
            return;
        }
        let Some(s) = secret.get_untracked() else {
            return;
        };
        error.set(None);
        busy.set(true);
        let code = code.clone();
        leptos::task::spawn_local(async move {
            match api::rate_feedback(&code, &s, &r, lang).await {
                Ok(()) => remote.refetch(),
                // Already rated (another tab, a retry that went through): show it.
                Err(ApiError::Client { body, .. }) if body.code == ErrorCode::AlreadyRated => {
                    remote.refetch()
                }
                Err(e) => {
                    error.try_set(Some(action_error(&e, i18n.t(), lang)));
                    busy.try_set(false);
                }
            }
        });
    };
    view! {
        <section class="question action fb-rating" aria-labelledby="fb-rating-heading">
            <h2 id="fb-rating-heading">{tr(|t| t.fb_rating_title)}</h2>
            <form novalidate on:submit=submit>
                <fieldset class="fieldset">
                    <legend class="label">{tr(|t| t.fb_rating_question)}</legend>
                    {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                    <div class="fb-stars">
                        {(1..=5u8).map(|n| {
                            let id = format!("fb-star-{n}");
                            view! {
                                <input class="fb-stars__input" type="radio" id=id.clone() name="fb-rating" value=n.to_string()
                                    on:change=move |_| stars.set(n)/>
                                <label class={move || if stars.get() >= n { "fb-stars__star is-on" } else { "fb-stars__star" }} for=id>
                                    <span aria-hidden="true">"★"</span>
                                    <span class="visually-hidden">{move || fill(i18n.t().rating_stars, &[("n", &n.to_string())])}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="hint" aria-live="polite">{move || {
                        let n = stars.get();
                        (n > 0).then(|| fill(i18n.t().fb_rating_chosen, &[("n", &n.to_string())]))
                    }}</p>
                </fieldset>
                <div class="form-group">
                    <label class="label" for="fb-rating-comment">{tr(|t| t.rating_comment)}" "{tr(|t| t.optional)}</label>
                    <textarea class="textarea" id="fb-rating-comment" rows="3" maxlength=COMMENT_MAX.to_string()
                        prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="btn btn-primary" aria-disabled=move || busy.get().to_string()>
                    {tr(|t| t.rating_send)}
                </button>
            </form>
        </section>
    }
}

/// A one-line error for an action that failed.
fn action_error(e: &ApiError, t: &'static Strings, lang: &str) -> String {
    match e {
        ApiError::Offline | ApiError::Unreachable | ApiError::Timeout | ApiError::Aborted => {
            t.action_offline.to_string()
        }
        ApiError::Client { body, .. } => body
            .fields
            .first()
            .and_then(|p| {
                cuaso_domain::validate::Problem::from_code(&p.code, &p.args)
                    .map(|pr| pr.message(lang))
            })
            .unwrap_or_else(|| body.message.clone()),
        ApiError::Server { .. } => t.action_failed.to_string(),
    }
}

/// Without the secret: where to type it to see everything.
fn secret_form(code: String, secret: RwSignal<Option<String>>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = typed.get_untracked().trim().to_string();
        if !s.is_empty() {
            store::remember_typed(&code, Some(s.clone()));
            secret.set(Some(s));
        }
    };
    view! {
        <section class="question" aria-labelledby="fb-secret-form-heading">
            <h2 id="fb-secret-form-heading">{tr(|t| t.fb_secret_form_title)}</h2>
            <p>{tr(|t| t.fb_secret_form_body)}</p>
            <form novalidate on:submit=submit>
                <div class="form-group">
                    <label class="label" for="fb-secret">{tr(|t| t.fb_secret_label)}</label>
                    <input class="input input--w12" id="fb-secret" type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="btn btn-secondary">{tr(|t| t.secret_button)}</button>
            </form>
        </section>
    }
}
