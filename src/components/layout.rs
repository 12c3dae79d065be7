//! The shell around every page: skip link, header, footer, bottom navigation.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::icons::{Icon, Svg};
use crate::config::use_config;
use crate::i18n::{fill, tr, use_i18n, Locale, Strings};

type Label = fn(&'static Strings) -> &'static str;

/// "Skip to main content": the first stop for keyboard users.
#[component]
pub fn SkipLink() -> impl IntoView {
    let focus_main = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            use wasm_bindgen::JsCast;
            if let Ok(el) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=focus_main>{tr(|t| t.skip_to_content)}</a>
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let province = move || config.with(|c| c.province.get(i18n.locale().code()).to_string());
    let emblem = move || config.with(|c| c.emblem_url.clone());
    let menu = NodeRef::<leptos::html::Details>::new();
    let choose = move |l: Locale| {
        if let Some(m) = menu.get_untracked() {
            m.set_open(false);
        }
        i18n.set(l);
    };
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="brand" attr:aria-label=tr(|t| t.home_link_label)>
                    <img class="brand__emblem" src=emblem alt="" width="40" height="40"/>
                    <span class="brand__text">
                        <span class="brand__name">{tr(|t| t.app_name)}</span>
                        <span class="brand__province">{province}</span>
                    </span>
                </A>
                // The language menu: each language named in itself, so anyone
                // can find theirs whatever the page is in.
                <details class="lang-menu" node_ref=menu>
                    <summary class="lang-switch" aria-label=move || format!("{} ({})", i18n.t().lang_menu_label, i18n.locale().name())>
                        <Svg icon=Icon::Globe/>
                        <span lang=move || i18n.locale().tag()>{move || i18n.locale().name()}</span>
                    </summary>
                    <ul class="lang-menu__list">
                        {Locale::ALL.into_iter().map(|(l, name)| view! {
                            <li>
                                <button type="button" class="lang-menu__item" lang=l.tag()
                                    aria-current=move || (i18n.locale() == l).then_some("true")
                                    on:click=move |_| choose(l)>{name}</button>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            </div>
            <MainNav/>
        </header>
    }
}

/// The four journeys. One `<nav>`: on phones CSS pins it to the bottom of
/// the screen, within thumb reach; on wide screens it sits in the header.
#[component]
fn MainNav() -> impl IntoView {
    let i18n = use_i18n();
    let journeys: [(&'static str, Icon, fn(&'static Strings) -> &'static str); 4] = [
        ("/services", Icon::Services, |t| t.nav_services),
        ("/track", Icon::Track, |t| t.nav_track),
        ("/scan", Icon::Scan, |t| t.nav_scan),
        ("/sites", Icon::Tourism, |t| t.nav_tourism),
    ];
    view! {
        <nav class="main-nav" aria-label=tr(|t| t.nav_label)>
            <ul>
                {journeys
                    .into_iter()
                    .map(|(href, icon, label)| {
                        view! {
                            <li>
                                <A href=href attr:class="nav-link">
                                    <Svg icon/>
                                    <span>{move || label(i18n.t())}</span>
                                    {(href == "/track").then(|| {
                                        let b = crate::badge::badge();
                                        move || {
                                            let n = b.get();
                                            (n > 0).then(|| view! {
                                                <span class="nav-badge">
                                                    {n}
                                                    <span class="visually-hidden">{move || format!(" {}", i18n.t().nav_badge)}</span>
                                                </span>
                                            })
                                        }
                                    })}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let links: [(&'static str, Label); 4] = [
        ("/feedback", |t| t.nav_feedback),
        ("/helper", |t| t.footer_helper),
        ("/producer", |t| t.footer_producer),
        ("/privacy", |t| t.footer_privacy),
    ];
    // Who runs the service, and where: one line of plain text.
    let operator = move || {
        config.with(|c| {
            let lang = i18n.locale().code();
            let mut line = fill(i18n.t().footer_operator, &[("name", c.operator.name.get(lang))]);
            if !c.operator.address.is_empty() {
                line = format!("{line}, {}", c.operator.address);
            }
            format!("{}. {line}", c.province.get(lang))
        })
    };
    let hotline = move || config.with(|c| c.hotline.clone());
    view! {
        <footer class="site-footer">
            <ul class="footer-links">
                {links.into_iter().map(|(href, label)| view! { <li><A href=href>{tr(label)}</A></li> }).collect_view()}
            </ul>
            <p>{operator}</p>
            <p>{tr(|t| t.footer_hotline)}" "<a href=move || format!("tel:{}", hotline())>{hotline}</a></p>
        </footer>
    }
}
