//! `/producer/password`: the current password, a new one (the rules shown
//! before typing, checked with the server's own `check_password`) and the
//! new one again. After a first login with an initial password, the portal
//! comes here first, then goes on to `?next=`.

use cuaso_domain::producer::{check_password, password_rules, PasswordChange, PasswordProblem};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api;
use crate::components::error_summary::ErrorAlert;
use crate::dom::focus_id;
use crate::i18n::{tr, use_i18n, Strings};

use super::detail::back_to;
use super::{current, ensure, error_text, is_signed_out, remember, safe_next, use_to_login};

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Current,
    New,
    Repeat,
}

impl Field {
    fn id(self) -> &'static str {
        match self {
            Field::Current => "pw-current",
            Field::New => "pw-new",
            Field::Repeat => "pw-repeat",
        }
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let to_login = use_to_login();
    let values = [
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    ];
    let errors = RwSignal::new(Vec::<(Field, String)>::new());
    let alert = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let must = current().is_some_and(|s| s.must_change_password);

    // Signed in? (The page itself needs the username for the rules.)
    {
        let to_login = to_login.clone();
        let lang = i18n.locale.get_untracked().code();
        leptos::task::spawn_local(async move {
            if let Err(e) = ensure(lang).await {
                if is_signed_out(&e.error) {
                    to_login();
                }
            }
        });
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let t = i18n.t();
        let lang = i18n.locale().code();
        let [cur, new, rep] = values.map(|v| v.get_untracked());
        let user = current().map(|s| s.username).unwrap_or_default();
        let mut found = Vec::new();
        if cur.is_empty() {
            found.push((Field::Current, t.pr_password_missing.to_string()));
        }
        if let Err(p) = check_password(&user, &new) {
            found.push((Field::New, p.message(lang)));
        } else if new == cur {
            found.push((Field::New, PasswordProblem::Unchanged.message(lang)));
        }
        if rep != new {
            found.push((Field::Repeat, t.pr_password_mismatch.to_string()));
        }
        alert.set(None);
        if let Some((f, _)) = found.first() {
            focus_id(f.id());
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        busy.set(true);
        let navigate = navigate.clone();
        let to_login = to_login.clone();
        let next = query.with_untracked(|q| q.get("next"));
        leptos::task::spawn_local(async move {
            let result = match ensure(lang).await {
                Ok(_) => api::change_password(&PasswordChange { current: cur, new }, lang).await,
                Err(e) => Err(e),
            };
            busy.set(false);
            let t = i18n.t();
            match result {
                Ok(()) => {
                    values.iter().for_each(|v| v.set(String::new()));
                    if let Some(mut s) = current() {
                        s.must_change_password = false;
                        remember(s);
                    }
                    if next.is_some() {
                        navigate(&safe_next(next), NavigateOptions { replace: true, ..Default::default() });
                    } else {
                        done.set(true);
                        focus_id("pw-done");
                    }
                }
                Err(e) if is_signed_out(&e.error) => to_login(),
                Err(e) => {
                    let fields: Vec<(Field, String)> = match &e.error {
                        api::ApiError::Client { body, .. } => body
                            .fields
                            .iter()
                            .filter_map(|f| {
                                let field = match f.field.as_str() {
                                    "current" => Field::Current,
                                    "new" => Field::New,
                                    _ => return None,
                                };
                                let m = if f.code == "wrong_password" {
                                    t.pr_wrong_current.to_string()
                                } else {
                                    PasswordProblem::from_code(&f.code)
                                        .map(|p| p.message(lang))
                                        .unwrap_or_else(|| f.message.clone())
                                };
                                Some((field, m))
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    if let Some((f, _)) = fields.first() {
                        focus_id(f.id());
                        errors.set(fields);
                    } else {
                        alert.set(Some(error_text(t, &e.error)));
                        focus_id("pw-alert");
                    }
                }
            }
        });
    };

    let field = move |f: Field, label: fn(&'static Strings) -> &'static str, auto: &'static str| {
        let value = values[f as usize];
        let err = move || errors.with(|v| v.iter().find(|(k, _)| *k == f).map(|(_, m)| m.clone()));
        let eid = format!("{}-error", f.id());
        let eid2 = eid.clone();
        let described = move || {
            let mut v = Vec::new();
            if f == Field::New {
                v.push("pw-rules".to_string());
            }
            if err().is_some() {
                v.push(eid2.clone());
            }
            v.join(" ")
        };
        view! {
            <div class=move || if err().is_some() { "form-group form-group--error" } else { "form-group" }>
                <label class="label" for=f.id()>{tr(label)}</label>
                {move || err().map(|m| view! { <p class="field-error" id=eid.clone()><span class="visually-hidden">{tr(|t| t.error_prefix)}</span>{m}</p> })}
                <input class="input" type="password" id=f.id() autocomplete=auto
                    aria-invalid=move || err().is_some().to_string() aria-describedby=described
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };

    view! {
        <Title text=tr(|t| t.pr_change_password)/>
        {back_to("/producer".into(), |t| t.pr_listings_title)}
        <div class="question">
            <h1>{tr(|t| t.pr_change_password)}</h1>
            {must.then(|| view! { <p class="notice">{tr(|t| t.pr_must_change)}</p> })}
            <ErrorAlert id="pw-alert" message=alert/>
            {move || done.get().then(|| view! {
                <div class="notice notice--ok" id="pw-done" role="status" tabindex="-1"><p>{tr(|t| t.pr_password_changed)}</p></div>
            })}
            <form novalidate on:submit=submit>
                {field(Field::Current, |t| t.pr_password_current, "current-password")}
                <div class="hint" id="pw-rules">
                    <p class="strong">{tr(|t| t.pr_password_rules)}</p>
                    <ul class="bullets">
                        {move || password_rules(i18n.locale().code()).into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                    </ul>
                </div>
                {field(Field::New, |t| t.pr_password_new, "new-password")}
                {field(Field::Repeat, |t| t.pr_password_repeat, "new-password")}
                <button type="submit" class="btn btn-primary btn-block" aria-disabled=move || busy.get().to_string()>
                    {tr(|t| t.pr_password_save)}
                </button>
            </form>
        </div>
    }
}
