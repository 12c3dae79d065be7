//! Loading and failure states. Every API failure ends in a friendly message
//! in the user's language, with a retry button when retrying can help.

use cuaso_domain::ErrorCode;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{ApiError, Remote};
use crate::config::use_config;
use crate::i18n::{fill, tr, use_i18n, Strings};

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{tr(|t| t.loading)}</span>
        </div>
    }
}

/// Title and explanation for an error, in the current language.
fn describe(e: &ApiError, t: &'static Strings, hotline: &str) -> (&'static str, String) {
    match e {
        ApiError::Offline => (t.error_offline_title, t.error_offline_body.into()),
        ApiError::Unreachable | ApiError::Aborted => {
            (t.error_unreachable_title, t.error_unreachable_body.into())
        }
        ApiError::Timeout => (t.error_timeout_title, t.error_timeout_body.into()),
        ApiError::Server { .. } => (
            t.error_server_title,
            fill(t.error_server_body, &[("hotline", hotline)]),
        ),
        ApiError::Client { body, .. } => match body.code {
            ErrorCode::ProcedureNotFound | ErrorCode::NotFound => {
                (t.error_not_found_title, t.error_procedure_not_found.into())
            }
            ErrorCode::InvalidCode => (t.error_problem_title, t.error_invalid_code.into()),
            ErrorCode::TooLong => (t.error_problem_title, t.error_too_long.into()),
            ErrorCode::UnknownField => (t.error_problem_title, t.error_unknown_field.into()),
            _ => (t.error_problem_title, t.error_bad_request.into()),
        },
    }
}

/// Whether trying the same request again may succeed.
fn retryable(e: &ApiError) -> bool {
    !matches!(e, ApiError::Client { .. })
}

#[component]
pub fn ErrorPanel(
    error: ApiError,
    #[prop(into)] retry: Callback<()>,
    /// The panel is the page's main content: its title is the page's `<h1>`.
    #[prop(optional)]
    main: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let can_retry = retryable(&error);
    let text = move || describe(&error, i18n.t(), &config.with(|c| c.hotline.clone()));
    let title = text.clone();
    view! {
        <section class="error-panel" role="alert">
            {if main {
                view! { <h1>{move || title().0}</h1> }.into_any()
            } else {
                view! { <h2>{move || title().0}</h2> }.into_any()
            }}
            <p>{move || text().1}</p>
            <div class="actions">
                {can_retry.then(|| view! {
                    <button type="button" class="btn btn-primary" on:click=move |_| retry.run(())>
                        {tr(|t| t.retry)}
                    </button>
                })}
                <A href="/" attr:class="btn btn-secondary">{tr(|t| t.go_home)}</A>
            </div>
        </section>
    }
}

/// Renders an API resource: a spinner while it loads, `content` once it has
/// arrived, and, through an error boundary, the friendly [`ErrorPanel`] with a
/// retry that refetches it. `main`: the error is the page's main content.
pub fn api_view<T, V>(
    res: Remote<T>,
    main: bool,
    content: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    let fallback = move |errors: ArcRwSignal<Errors>| {
        let first = errors.with(|errs| {
            errs.iter().next().map(|(_, e)| {
                e.downcast_ref::<ApiError>()
                    .cloned()
                    .unwrap_or(ApiError::Server { status: 0 })
            })
        });
        first.map(|error| view! { <ErrorPanel error main retry=move || res.refetch()/> })
    };
    let body = move || match res.get() {
        None => Ok(view! { <Loading/> }.into_any()),
        Some(Ok(v)) => Ok(content(v).into_any()),
        Some(Err(e)) => Err(e),
    };
    view! { <ErrorBoundary fallback>{body}</ErrorBoundary> }
}
