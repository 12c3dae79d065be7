//! `/services?q=&field=&page=`: the catalogue, searched as you type.
//! The URL is the state, so results can be shared, reloaded and gone back to.

use cuaso_domain::api::ProcedurePage;
use cuaso_domain::query::{ProcedureQuery, MAX_QUERY_CHARS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{self, ApiError, Remote};
use crate::components::procedure::procedure_card;
use crate::components::status::api_view;
use crate::i18n::{fill, tr, use_i18n, Strings};

/// Wait this long after the last keystroke before searching: one request per
/// pause, not per key, on a slow link.
const DEBOUNCE_MS: u64 = 250;

fn url_for(q: &ProcedureQuery) -> String {
    let qs = q.to_query_string();
    if qs.is_empty() {
        "/services".into()
    } else {
        format!("/services?{qs}")
    }
}

#[component]
pub fn Services() -> impl IntoView {
    let i18n = use_i18n();
    let query_map = use_query_map();
    let navigate = use_navigate();

    // The query as the URL says, checked by the same rules as the server.
    let query = Memo::new(move |_| {
        query_map.with(|m| {
            let pairs: Vec<(String, String)> = ["q", "field", "page"]
                .iter()
                .filter_map(|k| m.get(k).map(|v| (k.to_string(), v)))
                .collect();
            ProcedureQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        })
    });

    // `text` is what the box says (typing sets it); `shown` is what the box is
    // told to say, written only when the URL changes it: a keystroke then
    // costs a signal write, not a write back into the box it came from.
    let initial = query.get_untracked().map(|q| q.q).unwrap_or_default();
    let text = RwSignal::new(initial.clone());
    let shown = RwSignal::new(initial);
    let too_long = Memo::new(move |_| text.with(|t| t.chars().count() > MAX_QUERY_CHARS));
    // Back and forward change the URL: the box follows, unless it already
    // says the same (a trailing space being typed is kept).
    Effect::new(move |_| {
        if let Ok(q) = query.get() {
            if text.with_untracked(|t| t.trim() != q.q) {
                text.set(q.q.clone());
                shown.set(q.q);
            }
        }
    });

    let results = Remote::new(move || {
        let request = query.get().map(|q| api::procedures(&q));
        async move {
            match request {
                Ok(fut) => fut.await,
                Err(body) => Err(ApiError::Client { status: 400, body }),
            }
        }
    });
    let fields = Remote::new(api::fields);

    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let go = {
        let navigate = navigate.clone();
        move |q: ProcedureQuery| {
            navigate(
                &url_for(&q),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            )
        }
    };
    let on_input = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            text.set(event_target_value(&ev));
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            if too_long.get_untracked() {
                return;
            }
            let field = query.get_untracked().ok().and_then(|q| q.field);
            let go = go.clone();
            let handle = set_timeout_with_handle(
                move || {
                    go(ProcedureQuery::new(
                        &text.get_untracked(),
                        field.as_deref(),
                        1,
                    ))
                },
                std::time::Duration::from_millis(DEBOUNCE_MS),
            );
            pending.set_value(handle.ok());
        }
    };
    let on_field = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let field = event_target_value(&ev);
            go(ProcedureQuery::new(&text.get_untracked(), Some(&field), 1));
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !too_long.get_untracked() {
            let field = query.get_untracked().ok().and_then(|q| q.field);
            go(ProcedureQuery::new(
                &text.get_untracked(),
                field.as_deref(),
                1,
            ));
        }
    };
    let selected_field = move || query.get().ok().and_then(|q| q.field).unwrap_or_default();
    let limit = MAX_QUERY_CHARS.to_string();

    view! {
        <Title text=tr(|t| t.services_title)/>
        <h1>{tr(|t| t.services_heading)}</h1>
        <form class="search-form" role="search" action="/services" method="get" on:submit=on_submit>
            <label for="catalogue-search" class="search-form__label">{tr(|t| t.search_label)}</label>
            <p id="catalogue-search-hint" class="hint">{tr(|t| t.search_hint)}</p>
            {move || too_long.get().then(|| view! {
                <p id="catalogue-search-error" class="field-error" role="alert">
                    {fill(i18n.t().search_too_long, &[("n", &limit)])}
                </p>
            })}
            <input
                id="catalogue-search"
                name="q"
                type="search"
                enterkeyhint="search"
                autocomplete="off"
                placeholder=tr(|t| t.search_placeholder)
                aria-describedby=move || if too_long.get() { "catalogue-search-hint catalogue-search-error" } else { "catalogue-search-hint" }
                aria-invalid=move || too_long.get().to_string()
                prop:value=move || shown.get()
                on:input=on_input
            />
            <label for="field-filter" class="search-form__label">{tr(|t| t.filter_field_label)}</label>
            <select id="field-filter" name="field" on:change=on_field prop:value=selected_field>
                <option value="">{tr(|t| t.filter_all_fields)}</option>
                {move || {
                    let lang = i18n.locale().code();
                    let current = selected_field();
                    fields.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|f| {
                        let selected = f.code == current;
                        view! {
                            <option value=f.code.clone() selected=selected>
                                {format!("{} ({})", f.name.get(lang), f.procedure_count)}
                            </option>
                        }
                    }).collect_view()
                }}
            </select>
        </form>
        <section class="results" aria-label=tr(|t| t.results_label)>
            {api_view(results, false, move |page| view! { <Results page query/> })}
        </section>
    }
}

/// One page of results: plain text, rebuilt as a whole when the language changes.
#[component]
fn Results(
    page: ProcedurePage,
    query: Memo<Result<ProcedureQuery, cuaso_domain::ApiErrorBody>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let q = query.get_untracked().unwrap_or_default();
    move || render_results(&page, &q, i18n.t(), i18n.locale().code())
}

fn render_results(
    page: &ProcedurePage,
    q: &ProcedureQuery,
    t: &'static Strings,
    lang: &str,
) -> AnyView {
    let n = page.total.to_string();
    let count = if q.q.is_empty() {
        fill(t.results_count, &[("n", &n)])
    } else {
        fill(t.results_count_for, &[("n", &n), ("q", &q.q)])
    };
    let pages = page.total.div_ceil(page.per_page.max(1)).max(1);
    let prev = (page.page > 1).then(|| {
        url_for(&ProcedureQuery {
            page: page.page - 1,
            ..q.clone()
        })
    });
    let next = page.has_more().then(|| {
        url_for(&ProcedureQuery {
            page: page.page + 1,
            ..q.clone()
        })
    });
    let list = if page.items.is_empty() {
        view! {
            <div class="empty">
                <p><strong>{fill(t.no_results, &[("q", &q.q)])}</strong></p>
                <p>{t.no_results_hint}</p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <ul class="card-list">
                {page.items.iter().map(|p| procedure_card(p, t, lang)).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="results__count" role="status" aria-live="polite">{count}</p>
        {list}
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label=t.pagination_label>
                {prev.map(|href| view! { <A href=href attr:class="btn btn-secondary" attr:rel="prev">{t.page_prev}</A> })}
                <span>{fill(t.page_of, &[("n", &page.page.to_string()), ("total", &pages.to_string())])}</span>
                {next.map(|href| view! { <A href=href attr:class="btn btn-secondary" attr:rel="next">{t.page_next}</A> })}
            </nav>
        })}
    }
    .into_any()
}
