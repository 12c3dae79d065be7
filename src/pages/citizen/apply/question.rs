//! A question page: the questions of one page of the form, checked when
//! the citizen continues.

use cuaso_domain::form::FormPage;
use cuaso_domain::validate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::field::field_view;
use super::{file_issues, input_id, message, normalized, page_of, Ctx, Issue, Issues};
use crate::components::error_summary::ErrorSummary;
use crate::components::icons::{Icon, Svg};
use crate::dates::today;
use crate::dom::{next_frame, scroll_top};
use crate::i18n::{fill, tr, use_i18n};

#[component]
pub(super) fn QuestionPage(ctx: Ctx, page: FormPage, from_check: bool) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let issues = RwSignal::new(Issues::new());
    let summary = NodeRef::<leptos::html::Div>::new();
    // What the form already knows starts this page (the schema's prefill
    // rules: the mother who applies is not asked her name again).
    let carried = ctx.schema.with_value(|sc| {
        let a = ctx.draft.with_untracked(|d| normalized(sc, d));
        sc.carried(&page, &a)
    });
    let was_carried = !carried.is_empty();
    for (k, v) in carried {
        ctx.set(&k, v);
    }
    let page = StoredValue::new(page);
    // Position among the pages shown for the current answers.
    let position = move || {
        ctx.schema.with_value(|sc| {
            let a = ctx.draft.with(|d| normalized(sc, d));
            let shown: Vec<&str> = sc.shown_pages(&a).map(|p| p.id.as_str()).collect();
            let id = page.with_value(|p| p.id.clone());
            let i = shown.iter().position(|p| *p == id).unwrap_or(0);
            let prev = if i == 0 {
                None
            } else {
                Some(shown[i - 1].to_string())
            };
            let next = shown.get(i + 1).map(|s| s.to_string());
            (i + 1, shown.len(), prev, next)
        })
    };
    let back_href = move || {
        if from_check {
            ctx.url("check", false)
        } else {
            match position().2 {
                Some(prev) => ctx.url(&prev, false),
                None => format!("/services/{}", ctx.code.get_value()),
            }
        }
    };
    // Problems shown: the app's own after Continue, and the server's.
    let shown_issues = move || {
        let mut list = issues.get();
        for (k, v) in ctx.server_issues.get() {
            let on_page = ctx
                .schema
                .with_value(|sc| page_of(sc, &k).map(|p| p.id.clone()))
                == Some(page.with_value(|p| p.id.clone()));
            if on_page && !list.iter().any(|(lk, _)| *lk == k) {
                list.push((k, v));
            }
        }
        list
    };
    let summary_items = Signal::derive(move || {
        let t = i18n.t();
        let lang = i18n.locale().code();
        shown_issues()
            .into_iter()
            .map(|(k, issue)| {
                let id = ctx.schema.with_value(|sc| input_id(sc, &k));
                (format!("#{id}"), id, message(&issue, t, lang))
            })
            .collect::<Vec<_>>()
    });
    let cont = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = ctx.schema.with_value(|sc| {
            let d = ctx.draft.get_untracked();
            let a = normalized(sc, &d);
            page.with_value(|p| {
                let mut list: Issues = validate::validate_page(sc, p, &a, today())
                    .into_iter()
                    .map(|(k, pr)| (k, Issue::Rule(pr)))
                    .collect();
                for (k, i) in file_issues(p, &d, &a) {
                    list.retain(|(lk, _)| *lk != k);
                    list.push((k, i));
                }
                list
            })
        });
        let server_left = ctx.server_issues.with_untracked(|s| {
            s.iter().any(|(k, _)| {
                ctx.schema
                    .with_value(|sc| page_of(sc, k).map(|p| p.id.clone()))
                    == Some(page.with_value(|p| p.id.clone()))
            })
        });
        if !found.is_empty() || server_left {
            issues.set(found);
            next_frame(move || {
                if let Some(el) = summary.get_untracked() {
                    let _ = el.focus();
                }
            });
            return;
        }
        issues.set(Vec::new());
        let next = if from_check {
            ctx.url("check", false)
        } else {
            match position().3 {
                Some(n) => ctx.url(&n, false),
                None => ctx.url("check", false),
            }
        };
        navigate(&next, Default::default());
        scroll_top();
    };
    let title = move || page.with_value(|p| p.title.get(i18n.locale().code()).to_string());
    let single = page.with_value(|p| p.fields.len() == 1 && p.fields[0].label == p.title);
    let page_title = page.with_value(|p| p.title.clone());
    let fields = page.with_value(|p| p.fields.clone());
    let error_for = move |key: String| {
        Signal::derive(move || {
            let t = i18n.t();
            let lang = i18n.locale().code();
            shown_issues()
                .into_iter()
                .find(|(k, _)| *k == key)
                .map(|(_, i)| message(&i, t, lang))
        })
    };
    view! {
        <Title text=title/>
        <p class="back-link"><A href=back_href><Svg icon=Icon::Back/>{tr(|t| t.back)}</A></p>
        <form class="question" novalidate on:submit=cont>
            <ErrorSummary items=summary_items node=summary title_id="error-summary-title"/>
            <p class="step-count">
                {move || {
                    let (i, n, _, _) = position();
                    fill(i18n.t().apply_step, &[("i", &i.to_string()), ("n", &n.to_string())])
                }}
                <span class="step-count__name">{move || ctx.name.with_value(|n| n.get(i18n.locale().code()).to_string())}</span>
            </p>
            {(!single).then(|| view! { <h1>{title}</h1> })}
            {was_carried.then(|| view! { <p class="notice" id="carried-note">{tr(|t| t.apply_carried)}</p> })}
            {move || page.with_value(|p| p.help.as_ref().map(|h| view! { <p class="lead">{h.get(i18n.locale().code()).to_string()}</p> }))}
            {fields.into_iter().map(|f| {
                // A question worded as the page's heading is not said twice.
                let said = !single && f.label == page_title;
                let f = StoredValue::new(f);
                let visible = move || {
                    ctx.schema.with_value(|sc| {
                        let a = ctx.draft.with(|d| normalized(sc, d));
                        page.with_value(|p| f.with_value(|f| f.shown(p, &a)))
                    })
                };
                let visible = Memo::new(move |_| visible());
                move || visible.get().then(|| field_view(ctx, f.get_value(), single, said, error_for))
            }).collect_view()}
            <button type="submit" class="btn btn-primary btn-block">{tr(|t| t.continue_button)}</button>
        </form>
    }
}
