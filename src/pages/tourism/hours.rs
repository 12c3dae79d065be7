//! When a site is open: now (in Vietnam's time, whatever the phone's), the
//! week's hours with their exceptions, and the tickets.

use cuaso_domain::money::format_vnd;
use cuaso_domain::site::{ExceptionReason, LocalTime, OpenState, OpeningHours, TicketKind};
use cuaso_domain::Date;
use leptos::prelude::*;

use crate::i18n::{fill, use_i18n, Locale, Strings};

fn date_in(d: Date, lang: Locale) -> String {
    match lang {
        Locale::Ko => format!("{}. {}. {}.", d.year, d.month, d.day),
        Locale::Zh => format!("{}年{}月{}日", d.year, d.month, d.day),
        _ => d.display(lang.code()),
    }
}

fn weekday(t: &'static Strings, n: u8) -> &'static str {
    [
        t.weekday_1,
        t.weekday_2,
        t.weekday_3,
        t.weekday_4,
        t.weekday_5,
        t.weekday_6,
        t.weekday_7,
    ][usize::from(n.clamp(1, 7) - 1)]
}

/// "Thứ Hai – Chủ nhật" for a run of days, else the days listed.
fn days_label(t: &'static Strings, days: &[u8]) -> String {
    let mut d = days.to_vec();
    d.sort_unstable();
    d.dedup();
    let run = d.len() > 2 && d.windows(2).all(|w| w[1] == w[0] + 1);
    if run {
        format!("{} – {}", weekday(t, d[0]), weekday(t, d[d.len() - 1]))
    } else {
        d.iter().map(|n| weekday(t, *n)).collect::<Vec<_>>().join(", ")
    }
}

fn now_in_vietnam() -> LocalTime {
    LocalTime::vietnam((js_sys::Date::now() / 1000.0) as i64)
}


/// "Đang mở cửa · đóng cửa lúc 17:00", worked out in Vietnam time and
/// refreshed every minute.
#[component]
pub(super) fn OpenNow(hours: OpeningHours) -> impl IntoView {
    let i18n = use_i18n();
    let now = RwSignal::new(now_in_vietnam());
    let tick = leptos::prelude::set_interval_with_handle(
        move || {
            now.try_set(now_in_vietnam());
        },
        std::time::Duration::from_secs(60),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = tick {
            h.clear();
        }
    });
    let hours = StoredValue::new(hours);
    move || {
        let t = i18n.t();
        let n = now.get();
        let lang = i18n.locale();
        let (class, head, tail) = match hours.with_value(|h| h.state_at(n)) {
            OpenState::AlwaysOpen => ("open-state open-state--open", t.site_always_open.to_string(), String::new()),
            OpenState::Unknown => ("open-state", t.site_hours_unknown.to_string(), String::new()),
            OpenState::Open { closes } => (
                "open-state open-state--open",
                t.site_open_now.to_string(),
                fill(t.site_closes_at, &[("time", &closes.hhmm())]),
            ),
            OpenState::Closed { next, reason } => {
                let mut tail = String::new();
                if let Some(next) = next {
                    let day = if next.date == n.date {
                        t.site_today.to_string()
                    } else if next.date == n.date.add_days(1) {
                        t.site_tomorrow.to_string()
                    } else {
                        format!("{} {}", weekday(t, weekday_no(next.date)), date_in(next.date, lang))
                    };
                    tail.push_str(&fill(t.site_opens_at, &[("time", &next.hhmm()), ("day", &day)]));
                }
                let head = match reason {
                    Some(r) => format!("{} ({})", t.site_closed_now, reason_label(t, r)),
                    None => t.site_closed_now.to_string(),
                };
                ("open-state open-state--closed", head, tail)
            }
        };
        view! {
            <p class=class id="open-state">
                <strong>{head}</strong>
                {(!tail.is_empty()).then(|| format!(" · {tail}"))}
            </p>
        }
    }
}

fn weekday_no(d: Date) -> u8 {
    use cuaso_domain::date::Weekday::*;
    match d.weekday() {
        Mon => 1,
        Tue => 2,
        Wed => 3,
        Thu => 4,
        Fri => 5,
        Sat => 6,
        Sun => 7,
    }
}

fn reason_label(t: &'static Strings, r: ExceptionReason) -> &'static str {
    match r {
        ExceptionReason::Tet => t.site_reason_tet,
        ExceptionReason::Holiday => t.site_reason_holiday,
        ExceptionReason::Maintenance => t.site_reason_maintenance,
        ExceptionReason::Event => t.site_reason_event,
    }
}

#[component]
pub(super) fn Hours(hours: OpeningHours) -> impl IntoView {
    let i18n = use_i18n();
    let hours = StoredValue::new(hours);
    move || {
        let t = i18n.t();
        let lang = i18n.locale();
        let today = now_in_vietnam().date;
        hours.with_value(|h| {
            if h.always_open || h.weekly.is_empty() {
                return None;
            }
            let rules: Vec<(String, String)> = h
                .weekly
                .iter()
                .map(|r| (days_label(t, &r.days), format!("{}–{}", r.open, r.close)))
                .collect();
            let special: Vec<String> = h
                .exceptions
                .iter()
                .filter_map(|e| {
                    let (from, to) = (Date::parse(&e.from)?, Date::parse(&e.to)?);
                    (to >= today && from <= today.add_days(90)).then(|| {
                        let when = if from == to {
                            date_in(from, lang)
                        } else {
                            format!("{} – {}", date_in(from, lang), date_in(to, lang))
                        };
                        let what = match (&e.open, &e.close) {
                            (Some(o), Some(c)) => format!("{o}–{c}"),
                            _ => t.site_closed_all_day.to_string(),
                        };
                        format!("{when} ({}): {what}", reason_label(t, e.reason))
                    })
                })
                .collect();
            Some(view! {
                <section class="site__hours" aria-labelledby="hours-title">
                    <h2 id="hours-title">{t.site_hours_title}</h2>
                    <table class="hours-table">
                        <tbody>
                            {rules.into_iter().map(|(d, h)| view! { <tr><th scope="row">{d}</th><td>{h}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                    <p class="hint">{t.site_hours_tz}</p>
                    {(!special.is_empty()).then(|| view! {
                        <h3>{t.site_hours_special}</h3>
                        <ul>{special.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    })}
                </section>
            })
        })
    }
}

#[component]
pub(super) fn Tickets(tickets: Option<Vec<cuaso_domain::site::Ticket>>) -> impl IntoView {
    let i18n = use_i18n();
    let tickets = StoredValue::new(tickets);
    move || {
        let t = i18n.t();
        view! {
            <section class="site__tickets" aria-labelledby="tickets-title">
                <h2 id="tickets-title">{t.site_tickets_title}</h2>
                {tickets.with_value(|list| match list {
                    None => view! { <p>{t.site_tickets_unknown}</p> }.into_any(),
                    Some(list) => view! {
                        <table class="hours-table">
                            <tbody>
                                {list.iter().map(|k| {
                                    let who = match k.kind {
                                        TicketKind::Adult => t.site_ticket_adult,
                                        TicketKind::Child => t.site_ticket_child,
                                        TicketKind::Student => t.site_ticket_student,
                                        TicketKind::Senior => t.site_ticket_senior,
                                    };
                                    let price = if k.price_vnd == 0 { t.site_ticket_free.to_string() } else { format_vnd(u64::from(k.price_vnd)) };
                                    view! { <tr><th scope="row">{who}</th><td>{price}</td></tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </section>
        }
    }
}
