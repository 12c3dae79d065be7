//! `/producer/login`: username and password, with errors in the user's
//! language; then back to `?next=` (a portal path) or the listings, by way
//! of the password page when the password must be changed first.

use cuaso_domain::producer::{LoginRequest, Role};
use cuaso_domain::ErrorCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api;
use crate::components::error_summary::ErrorAlert;
use crate::dom::focus_id;
use crate::i18n::{fill, tr, use_i18n};

use super::{error_text, remember, safe_next};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let show = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Field problems (username, password) and the form's alert.
    let user_err = RwSignal::new(None::<&'static str>);
    let pass_err = RwSignal::new(None::<&'static str>);
    let alert = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let t = i18n.t();
        let u = username.get_untracked().trim().to_lowercase();
        let p = password.get_untracked();
        user_err.set(u.is_empty().then_some(t.pr_username_missing));
        pass_err.set(p.is_empty().then_some(t.pr_password_missing));
        alert.set(None);
        if u.is_empty() {
            focus_id("login-username");
            return;
        }
        if p.is_empty() {
            focus_id("login-password");
            return;
        }
        busy.set(true);
        let lang = i18n.locale().code();
        let next = safe_next(query.with_untracked(|q| q.get("next")));
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let result = api::login(&LoginRequest { username: u, password: p }, lang).await;
            busy.set(false);
            let t = i18n.t();
            match result {
                Ok(s) => {
                    let must = s.must_change_password;
                    // Each role to its own pages.
                    let next = match s.role {
                        Role::Helper if !super::for_helper(&next) => "/helper".to_string(),
                        Role::Producer if super::for_helper(&next) => "/producer".to_string(),
                        _ => next,
                    };
                    remember(s);
                    let to = if must {
                        format!("/producer/password?next={}", cuaso_domain::query::encode(&next))
                    } else {
                        next
                    };
                    navigate(&to, NavigateOptions { replace: true, ..Default::default() });
                }
                Err(e) => {
                    // The typed username stays; the password is typed again.
                    password.set(String::new());
                    let msg = match (&e.error, e.error.code()) {
                        (api::ApiError::Client { status: 429, .. }, _)
                        | (_, Some(ErrorCode::TooManyAttempts)) => {
                            let mins = e.retry_after.unwrap_or(15 * 60).div_ceil(60).max(1);
                            fill(t.pr_login_locked, &[("n", &mins.to_string())])
                        }
                        (api::ApiError::Client { status: 401, .. }, _) => t.pr_login_failed.into(),
                        (err, _) => error_text(t, err),
                    };
                    alert.set(Some(msg));
                    focus_id("login-alert");
                }
            }
        });
    };

    let helper = super::for_helper(&safe_next(query.with_untracked(|q| q.get("next"))));
    let title = move || if helper { i18n.t().hp_login_title } else { i18n.t().pr_login_title };
    view! {
        <Title text=title/>
        <div class="question">
            <h1>{title}</h1>
            <p class="lead">{move || if helper { i18n.t().hp_login_intro } else { i18n.t().pr_login_intro }}</p>
            <ErrorAlert id="login-alert" message=alert/>
            <form novalidate on:submit=submit>
                <div class=move || if user_err.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                    <label class="label" for="login-username">{tr(|t| t.pr_username)}</label>
                    {move || user_err.get().map(|m| view! { <p class="field-error" id="login-username-error">{m}</p> })}
                    <input class="input" id="login-username" name="username" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" required
                        aria-invalid=move || user_err.get().is_some().to_string()
                        aria-describedby=move || user_err.get().map(|_| "login-username-error")
                        prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/>
                </div>
                <div class=move || if pass_err.get().is_some() { "form-group form-group--error" } else { "form-group" }>
                    <label class="label" for="login-password">{tr(|t| t.pr_password)}</label>
                    {move || pass_err.get().map(|m| view! { <p class="field-error" id="login-password-error">{m}</p> })}
                    <div class="password-row">
                        <input class="input" id="login-password" name="password" autocomplete="current-password" required
                            type=move || if show.get() { "text" } else { "password" }
                            aria-invalid=move || pass_err.get().is_some().to_string()
                            aria-describedby=move || pass_err.get().map(|_| "login-password-error")
                            prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                        <button type="button" class="btn btn-secondary btn-small" aria-controls="login-password"
                            aria-pressed=move || show.get().to_string() on:click=move |_| show.update(|s| *s = !*s)>
                            {tr(|t| t.pr_show_password)}
                        </button>
                    </div>
                </div>
                <button type="submit" class="btn btn-primary btn-block" aria-disabled=move || busy.get().to_string()>
                    {move || if busy.get() { i18n.t().pr_signing_in } else { i18n.t().pr_sign_in }}
                </button>
            </form>
            <p class="hint">{tr(|t| t.pr_login_help)}</p>
        </div>
    }
}
