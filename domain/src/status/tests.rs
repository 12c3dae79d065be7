//! Tests of [`crate::status`]: the table of moves, reasons, replay and the on-time rule.

use super::timeline::parse_at;
use super::*;
use crate::date::{add_working_days, Date};
use Actor::System as S;

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

const ACTORS: [Actor; 3] = [C, O, S];

fn ev(seq: u32, status: Status, at: &str, actor: Actor, reason: Option<&str>) -> Event {
    Event {
        seq,
        status,
        at: at.to_string(),
        actor,
        reason: reason.map(str::to_string),
        amount: None,
    }
}

/// A history from (status, date, actor); reasons filled in where needed.
fn history(steps: &[(Status, Date, Actor)]) -> Vec<Event> {
    steps
        .iter()
        .enumerate()
        .map(|(i, &(s, date, a))| {
            let at = format!("{date}T{:02}:00:00+07:00", 8 + i % 10);
            ev(i as u32 + 1, s, &at, a, s.needs_reason().then_some("Lý do"))
        })
        .collect()
}

#[test]
fn codes_names_and_serde() {
    let vi = [
        "Mới đăng ký",
        "Được tiếp nhận",
        "Không được tiếp nhận",
        "Đang xử lý",
        "Yêu cầu bổ sung giấy tờ",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Công dân yêu cầu rút hồ sơ",
        "Dừng xử lý",
        "Đã xử lý xong",
        "Đã trả kết quả",
    ];
    for (i, s) in Status::ALL.into_iter().enumerate() {
        assert_eq!(usize::from(s.code()), i + 1);
        assert_eq!(Status::from_code(s.code()), Some(s));
        assert_eq!(s.name("vi"), vi[i]);
        assert_eq!(s.name(""), vi[i]);
        assert!(s.name("en").is_ascii());
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, (i + 1).to_string());
        assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), s);
    }
    assert_eq!(Status::from_code(0), None);
    assert_eq!(Status::from_code(11), None);
    for bad in ["0", "11", "255", "256", "-1", "\"4\"", "4.5", "null"] {
        assert!(serde_json::from_str::<Status>(bad).is_err(), "{bad}");
    }
    assert_eq!(
        serde_json::to_string(&Actor::Citizen).unwrap(),
        "\"citizen\""
    );
    assert_eq!(
        serde_json::from_str::<Actor>("\"officer\"").unwrap(),
        Actor::Officer
    );
    assert_eq!(Actor::System.name("vi"), "Hệ thống");
}

#[test]
fn flags_agree_with_the_table() {
    for s in Status::ALL {
        let out: Vec<_> = TRANSITIONS.iter().filter(|r| r.0 == s).collect();
        assert_eq!(s.is_final(), out.is_empty(), "{s:?}");
        assert_eq!(
            s.can_withdraw(),
            out.iter().any(|r| r.1 == Withdrawn && r.2 == C),
            "{s:?}"
        );
    }
    for (from, to, actor, required) in TRANSITIONS {
        assert_eq!(required, to.needs_reason(), "{from:?}→{to:?}");
        assert_ne!(from, to);
        assert_ne!(actor, S);
        let same = TRANSITIONS
            .iter()
            .filter(|r| (r.0, r.1, r.2) == (from, to, actor));
        assert_eq!(same.count(), 1);
    }
    assert_eq!(next_statuses(New, O), [Accepted, NotAccepted]);
    assert_eq!(next_statuses(New, C), [Withdrawn]);
    assert_eq!(
        next_statuses(SupplementRequested, C),
        [Processing, Withdrawn]
    );
    assert_eq!(
        next_statuses(Processing, O),
        [SupplementRequested, PaymentRequested, Done, Stopped]
    );
    assert!(next_statuses(Returned, O).is_empty());
    assert!(next_statuses(Processing, S).is_empty());
}

#[test]
fn every_legal_move_is_accepted_with_the_right_actor_and_reason() {
    for (from, to, actor, required) in TRANSITIONS {
        assert_eq!(
            check_transition(from, to, actor, Some("Thiếu giấy tờ")),
            Ok(())
        );
        assert_eq!(
            check_transition(from, to, actor, Some("  Dòng 1\r\nDòng 2  ")),
            Ok(())
        );
        let none = check_transition(from, to, actor, None);
        if required {
            assert_eq!(none, Err(TransitionError::ReasonRequired(to)));
        } else {
            assert_eq!(none, Ok(()));
        }
    }
}

#[test]
fn the_whole_grid() {
    for from in Status::ALL {
        for to in Status::ALL {
            for actor in ACTORS {
                let got = check_transition(from, to, actor, Some("Lý do"));
                let legal = TRANSITIONS.contains(&(from, to, actor, to.needs_reason()));
                let exists = TRANSITIONS.iter().any(|r| r.0 == from && r.1 == to);
                let want = if from.is_final() {
                    Err(TransitionError::Final { from, to })
                } else if legal {
                    Ok(())
                } else if exists {
                    Err(TransitionError::WrongActor { from, to, actor })
                } else {
                    Err(TransitionError::NotAllowed { from, to })
                };
                assert_eq!(got, want, "{from:?}→{to:?} by {actor:?}");
            }
        }
    }
    // A few by hand.
    let na = |from, to| Err(TransitionError::NotAllowed { from, to });
    assert_eq!(
        check_transition(New, Processing, O, None),
        na(New, Processing)
    );
    assert_eq!(
        check_transition(Processing, Returned, O, None),
        na(Processing, Returned)
    );
    assert_eq!(
        check_transition(Processing, Processing, O, None),
        na(Processing, Processing)
    );
    assert_eq!(
        check_transition(Done, Withdrawn, C, None),
        na(Done, Withdrawn)
    );
    assert_eq!(
        check_transition(Accepted, Processing, C, None),
        Err(TransitionError::WrongActor {
            from: Accepted,
            to: Processing,
            actor: C
        })
    );
    assert_eq!(
        check_transition(New, Withdrawn, O, None),
        Err(TransitionError::WrongActor {
            from: New,
            to: Withdrawn,
            actor: O
        })
    );
    assert!(check_transition(SupplementRequested, Processing, S, None).is_err());
    for from in [NotAccepted, Withdrawn, Stopped, Returned] {
        for to in Status::ALL {
            for actor in ACTORS {
                assert_eq!(
                    check_transition(from, to, actor, Some("x")),
                    Err(TransitionError::Final { from, to })
                );
            }
        }
    }
}

#[test]
fn reasons() {
    let r = |s: &str| check_transition(Processing, Stopped, O, Some(s));
    let required = Err(TransitionError::ReasonRequired(Stopped));
    assert_eq!(check_transition(Processing, Stopped, O, None), required);
    assert_eq!(r(""), required);
    assert_eq!(r(" \n\t "), required);
    assert_eq!(r(&"a".repeat(1000)), Ok(()));
    assert_eq!(r(&format!("  {}  ", "a".repeat(1000))), Ok(()));
    assert_eq!(r(&"a".repeat(1001)), Err(TransitionError::ReasonTooLong));
    // Combining marks do not count: 1000 decomposed "ệ" are 1000 long.
    assert_eq!(r(&"e\u{0323}\u{0302}".repeat(1000)), Ok(()));
    for bad in [
        "a\u{0}b",
        "a\tb",
        "a\u{7}",
        "a\u{1b}[31m",
        "a\u{85}b",
        "a\u{202E}b",
    ] {
        assert_eq!(r(bad), Err(TransitionError::ReasonInvalid), "{bad:?}");
    }
    // Optional reasons are checked too; blank is none.
    assert_eq!(
        check_transition(Accepted, Processing, O, Some("a\u{0}")),
        Err(TransitionError::ReasonInvalid)
    );
    assert_eq!(
        check_transition(Accepted, Processing, O, Some("   ")),
        Ok(())
    );
    assert_eq!(
        clean_reason(Some("  Thiếu ảnh 4x6 \n")),
        Ok(Some("Thiếu ảnh 4x6"))
    );
    assert_eq!(clean_reason(Some(" ")), Ok(None));
    assert_eq!(clean_reason(None), Ok(None));
}

#[test]
fn error_codes_and_messages() {
    let all = [
        TransitionError::Final {
            from: Returned,
            to: Processing,
        },
        TransitionError::NotAllowed {
            from: New,
            to: Done,
        },
        TransitionError::WrongActor {
            from: Accepted,
            to: Processing,
            actor: C,
        },
        TransitionError::ReasonRequired(NotAccepted),
        TransitionError::ReasonTooLong,
        TransitionError::ReasonInvalid,
        TransitionError::InvalidStart,
        TransitionError::InvalidEvent,
    ];
    let mut codes: Vec<_> = all.iter().map(|e| e.code()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    for e in all {
        assert!(e
            .code()
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_'));
        assert!(!e.message("vi").is_empty() && !e.message("en").is_empty());
        assert_ne!(e.message("vi"), e.message("en"));
        assert_eq!(e.to_string(), e.message("en"));
    }
    assert!(all[0].message("vi").starts_with(
        "Hồ sơ đang ở trạng thái Đã trả kết quả nên không thể chuyển sang Đang xử lý."
    ));
    assert_eq!(
        all[1].message("vi"),
        "Không thể chuyển hồ sơ từ Mới đăng ký sang Đã xử lý xong. Từ Mới đăng ký chỉ có thể \
         chuyển sang: Được tiếp nhận, Không được tiếp nhận, Công dân yêu cầu rút hồ sơ."
    );
    assert_eq!(
        all[2].message("vi"),
        "Chỉ cán bộ mới có thể chuyển hồ sơ từ Được tiếp nhận sang Đang xử lý; công dân \
         không thể làm việc này."
    );
    assert_eq!(
        all[2].message("en"),
        "Only an officer can move a dossier from “Accepted” to “In progress”; the applicant \
         cannot."
    );
    let both = TransitionError::WrongActor {
        from: SupplementRequested,
        to: Processing,
        actor: S,
    };
    assert!(both
        .message("vi")
        .starts_with("Chỉ công dân hoặc cán bộ mới"));
    assert_eq!(
        all[3].message("vi"),
        "Cần ghi rõ lý do khi chuyển hồ sơ sang Không được tiếp nhận."
    );
}

#[test]
fn event_dates() {
    let ok = [
        ("2026-11-24T09:15:00+07:00", d(2026, 11, 24)),
        ("2026-11-23T23:30:00-05:00", d(2026, 11, 23)),
        ("2026-11-24T02:00:00Z", d(2026, 11, 24)),
        ("2026-11-24t02:00:00.123456z", d(2026, 11, 24)),
        ("2026-11-24 02:00:00+00:00", d(2026, 11, 24)),
        ("2016-12-31T23:59:60Z", d(2016, 12, 31)),
    ];
    for (s, want) in ok {
        assert_eq!(event_date(s), Some(want), "{s}");
    }
    for bad in [
        "",
        "2026-11-24",
        "2026-11-24T09:15:00",
        "2026-11-24T09:15+07:00",
        "2026-11-24T24:00:00Z",
        "2026-11-24T09:60:00Z",
        "2026-02-30T09:15:00+07:00",
        "2026-11-24T09:15:00+0700",
        "2026-11-24T09:15:00.+07:00",
        "2026-11-24T09:15:00+07:00 ",
        "2026-11-24X09:15:00Z",
        "2026-11-24T09:15:00+07:0é",
        "２026-11-24T09:15:00Z",
    ] {
        assert_eq!(event_date(bad), None, "{bad:?}");
    }
    // The same instant in two offsets.
    assert_eq!(
        parse_at("2026-11-24T06:00:00+07:00").unwrap().1,
        parse_at("2026-11-23T23:00:00Z").unwrap().1
    );
}

#[test]
fn event_json() {
    let mut e = ev(1, New, "2026-11-24T09:15:00+07:00", C, None);
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(
        json,
        r#"{"seq":1,"status":1,"at":"2026-11-24T09:15:00+07:00","actor":"citizen"}"#
    );
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
    e.status = PaymentRequested;
    e.reason = Some("Lệ phí".into());
    e.amount = Some(20_000);
    let json = serde_json::to_string(&e).unwrap();
    assert!(json.contains(r#""status":6"#) && json.contains(r#""amount":20000"#));
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
    assert!(serde_json::from_str::<Event>(&json.replace(":6,", ":12,")).is_err());
    let t = serde_json::to_string(&Timeliness::OnTrack { days_left: 3 }).unwrap();
    assert_eq!(t, r#"{"type":"on_track","days_left":3}"#);
    let t = serde_json::to_string(&Timeliness::DoneOnTime).unwrap();
    assert_eq!(t, r#"{"type":"done_on_time"}"#);
}

#[test]
fn replay_checks_histories() {
    let day = d(2026, 3, 2);
    let good = history(&[
        (New, day, C),
        (Accepted, day, O),
        (Processing, day, O),
        (SupplementRequested, day, O),
        (Processing, day, C),
        (PaymentRequested, day, O),
        (Processing, day, O),
        (Done, day, O),
        (Returned, day, O),
    ]);
    assert_eq!(replay(&good), Ok(Returned));
    assert_eq!(replay(&good[..1]), Ok(New));
    assert_eq!(replay(&good[..4]), Ok(SupplementRequested));
    assert_eq!(replay(&[]), Err((0, TransitionError::InvalidStart)));
    assert_eq!(replay(&good[1..]), Err((0, TransitionError::InvalidStart)));
    let mut by_officer = good.clone();
    by_officer[0].actor = O;
    assert_eq!(replay(&by_officer), Err((0, TransitionError::InvalidStart)));
    // A skipped step.
    let mut skip = good.clone();
    skip.remove(1);
    assert_eq!(
        replay(&skip),
        Err((
            1,
            TransitionError::NotAllowed {
                from: New,
                to: Processing
            }
        ))
    );
    // A missing reason.
    let mut no_reason = good.clone();
    no_reason[3].reason = None;
    assert_eq!(
        replay(&no_reason),
        Err((3, TransitionError::ReasonRequired(SupplementRequested)))
    );
    // Wrong actor.
    let mut wrong = good.clone();
    wrong[2].actor = C;
    assert!(matches!(
        replay(&wrong),
        Err((2, TransitionError::WrongActor { .. }))
    ));
    // Anything after a final status.
    let mut after = good.clone();
    after.push(ev(10, Processing, "2026-03-03T08:00:00+07:00", O, None));
    assert_eq!(
        replay(&after),
        Err((
            9,
            TransitionError::Final {
                from: Returned,
                to: Processing
            }
        ))
    );
    // Time and sequence.
    let mut back = good.clone();
    back[4].at = "2026-03-02T00:59:00Z".into(); // 07:59 in Vietnam, before 11:00.
    assert_eq!(replay(&back), Err((4, TransitionError::InvalidEvent)));
    let mut same_seq = good.clone();
    same_seq[2].seq = 2;
    assert_eq!(replay(&same_seq), Err((2, TransitionError::InvalidEvent)));
    let mut bad_at = good.clone();
    bad_at[0].at = "2026-03-02".into();
    assert_eq!(replay(&bad_at), Err((0, TransitionError::InvalidEvent)));
    // Equal times and gaps in seq are fine; offsets are compared as instants.
    let mut ok = good.clone();
    ok[1].at = ok[0].at.clone();
    ok[2].seq = 30;
    for (i, e) in ok.iter_mut().enumerate().skip(3) {
        e.seq = 30 + i as u32;
    }
    ok[3].at = "2026-03-02T04:00:00Z".into(); // 11:00 in Vietnam
    assert_eq!(replay(&ok), Ok(Returned));
}

/// Received Monday 2 March 2026 with 5 working days: due Monday 9 March.
fn march(done: Option<Date>) -> (Date, Vec<Event>) {
    let r = d(2026, 3, 2);
    let promised = add_working_days(r, 5);
    assert_eq!(promised, d(2026, 3, 9));
    let mut steps = vec![
        (New, r, C),
        (Accepted, r, O),
        (Processing, d(2026, 3, 3), O),
    ];
    if let Some(done) = done {
        steps.push((Done, done, O));
        steps.push((Returned, done.add_days(3), O));
    }
    (promised, history(&steps))
}

#[test]
fn on_time_and_late_without_supplements() {
    let (p, evs) = march(None);
    assert_eq!(deadline(p, &evs), p);
    let t = |today| timeliness(p, &evs, today);
    assert_eq!(t(d(2026, 3, 4)), Timeliness::OnTrack { days_left: 3 });
    assert_eq!(t(d(2026, 3, 7)), Timeliness::OnTrack { days_left: 1 });
    assert_eq!(t(d(2026, 3, 9)), Timeliness::DueToday);
    assert_eq!(t(d(2026, 3, 10)), Timeliness::Late { days_late: 1 });
    assert_eq!(t(d(2026, 3, 11)), Timeliness::Late { days_late: 2 });
    assert_eq!(t(d(2026, 3, 14)), Timeliness::Late { days_late: 4 });
    assert_eq!(t(d(2026, 3, 4)).on_time(), Some(true));
    assert_eq!(t(d(2026, 3, 11)).on_time(), Some(false));

    let (p, evs) = march(Some(d(2026, 3, 9)));
    // The first 9 counts, not the later 10.
    assert_eq!(timeliness(p, &evs, d(2026, 4, 1)), Timeliness::DoneOnTime);
    let (p, evs) = march(Some(d(2026, 3, 10)));
    assert_eq!(timeliness(p, &evs, d(2026, 3, 10)), Timeliness::DoneLate);
    assert_eq!(Timeliness::DoneLate.on_time(), Some(false));
}

#[test]
fn labels() {
    let l = |t: Timeliness, lang| t.label(lang);
    assert_eq!(
        l(Timeliness::OnTrack { days_left: 3 }, "vi").unwrap(),
        "Còn 3 ngày làm việc"
    );
    assert_eq!(
        l(Timeliness::OnTrack { days_left: 1 }, "en").unwrap(),
        "1 working day left"
    );
    assert_eq!(
        l(Timeliness::Late { days_late: 2 }, "vi").unwrap(),
        "Trễ hạn 2 ngày làm việc"
    );
    assert_eq!(
        l(Timeliness::Late { days_late: 0 }, "vi").unwrap(),
        "Trễ hạn"
    );
    assert_eq!(l(Timeliness::DueToday, "en").unwrap(), "Due today");
    assert_eq!(l(Timeliness::NotApplicable, "vi"), None);
}

#[test]
fn supplement_wait_extends_the_deadline_over_a_weekend() {
    // Promised Mon 9/3. More documents asked Thu 5/3, sent Mon 9/3:
    // Fri 6 and Mon 9 are lost, so the deadline is Wed 11/3.
    let r = d(2026, 3, 2);
    let base = [
        (New, r, C),
        (Accepted, r, O),
        (Processing, r, O),
        (SupplementRequested, d(2026, 3, 5), O),
        (Processing, d(2026, 3, 9), C),
    ];
    let p = d(2026, 3, 9);
    assert_eq!(deadline(p, &history(&base)), d(2026, 3, 11));
    let mut done = base.to_vec();
    done.push((Done, d(2026, 3, 11), O));
    assert_eq!(
        timeliness(p, &history(&done), d(2026, 3, 20)),
        Timeliness::DoneOnTime
    );
    done[5].1 = d(2026, 3, 12);
    assert_eq!(
        timeliness(p, &history(&done), d(2026, 3, 20)),
        Timeliness::DoneLate
    );
    // Sent on Saturday counts as received Monday: the same deadline.
    let mut sat = base.to_vec();
    sat[4].1 = d(2026, 3, 7);
    assert_eq!(deadline(p, &history(&sat)), d(2026, 3, 11));
    // Sent the day it was asked: nothing lost.
    let mut same = base.to_vec();
    same[4].1 = d(2026, 3, 5);
    assert_eq!(deadline(p, &history(&same)), p);
    // Withdrawn while waiting: no deadline to keep.
    let mut gone = base.to_vec();
    gone[4] = (Withdrawn, d(2026, 3, 6), C);
    assert_eq!(
        timeliness(p, &history(&gone), d(2026, 3, 30)),
        Timeliness::NotApplicable
    );
}

#[test]
fn supplement_wait_across_tet_2026() {
    // Promised Tue 24/2/2026. Asked Thu 12/2, sent Sat 21/2 (Tết break
    // 14–22/2): Fri 13/2 and Mon 23/2 are lost → Thu 26/2.
    let r = d(2026, 2, 9);
    let evs = history(&[
        (New, r, C),
        (Accepted, r, O),
        (Processing, r, O),
        (SupplementRequested, d(2026, 2, 12), O),
        (Processing, d(2026, 2, 21), C),
    ]);
    assert_eq!(deadline(d(2026, 2, 24), &evs), d(2026, 2, 26));
    assert_eq!(
        timeliness(d(2026, 2, 24), &evs, d(2026, 2, 25)),
        Timeliness::OnTrack { days_left: 1 }
    );
}

#[test]
fn supplement_wait_across_hung_kings_and_may_day_2026() {
    // Asked Fri 24/4, sent Mon 4/5: Tue 28 and Wed 29/4 and Mon 4/5 are
    // lost (27/4, 30/4, 1/5 are days off). Promised Wed 29/4 → Wed 6/5.
    let r = d(2026, 4, 20);
    let evs = history(&[
        (New, r, C),
        (Accepted, r, O),
        (SupplementRequested, d(2026, 4, 24), O),
        (Processing, d(2026, 5, 4), C),
        (Done, d(2026, 5, 6), O),
    ]);
    assert_eq!(deadline(d(2026, 4, 29), &evs), d(2026, 5, 6));
    assert_eq!(
        timeliness(d(2026, 4, 29), &evs, d(2026, 5, 7)),
        Timeliness::DoneOnTime
    );
}

#[test]
fn an_open_wait_holds_the_days_left_still() {
    let r = d(2026, 3, 2);
    let evs = history(&[
        (New, r, C),
        (Accepted, r, O),
        (Processing, r, O),
        (SupplementRequested, d(2026, 3, 5), O),
    ]);
    let p = d(2026, 3, 11);
    assert_eq!(deadline(p, &evs), p);
    for today in [
        d(2026, 3, 5),
        d(2026, 3, 6),
        d(2026, 3, 7),
        d(2026, 3, 10),
        d(2026, 3, 30),
    ] {
        assert_eq!(
            timeliness(p, &evs, today),
            Timeliness::OnTrack { days_left: 4 },
            "{today}"
        );
    }
}

#[test]
fn a_second_supplement_request_is_late() {
    let r = d(2026, 3, 2);
    let mut steps = vec![
        (New, r, C),
        (Accepted, r, O),
        (Processing, r, O),
        (SupplementRequested, d(2026, 3, 3), O),
        (Processing, d(2026, 3, 4), C),
        (SupplementRequested, d(2026, 3, 4), O),
    ];
    let p = d(2026, 3, 30);
    let evs = history(&steps);
    assert_eq!(
        timeliness(p, &evs, d(2026, 3, 5)),
        Timeliness::Late { days_late: 0 }
    );
    assert_eq!(Timeliness::Late { days_late: 0 }.on_time(), Some(false));
    // Only the first wait moves the deadline (Wed 4/3 lost: → 31/3).
    steps.push((Processing, d(2026, 3, 20), C));
    assert_eq!(deadline(p, &history(&steps)), d(2026, 3, 31));
    assert_eq!(
        timeliness(p, &history(&steps), d(2026, 4, 2)),
        Timeliness::Late { days_late: 2 }
    );
    // Done weeks early, still late.
    steps.push((Done, d(2026, 3, 20), O));
    assert_eq!(
        timeliness(p, &history(&steps), d(2026, 3, 20)),
        Timeliness::DoneLate
    );
}

#[test]
fn final_without_a_result_is_not_applicable() {
    let r = d(2026, 3, 2);
    let p = d(2026, 3, 9);
    for end in [(NotAccepted, r, O), (Withdrawn, r, C)] {
        let evs = history(&[(New, r, C), end]);
        assert_eq!(
            timeliness(p, &evs, d(2026, 4, 1)),
            Timeliness::NotApplicable
        );
    }
    let evs = history(&[(New, r, C), (Accepted, r, O), (Stopped, r, O)]);
    assert_eq!(
        timeliness(p, &evs, d(2026, 4, 1)),
        Timeliness::NotApplicable
    );
    assert_eq!(timeliness(p, &[], r), Timeliness::NotApplicable);
    assert_eq!(Timeliness::NotApplicable.on_time(), None);
}

#[cfg(feature = "openapi")]
#[test]
fn openapi_schemas() {
    use utoipa::PartialSchema;
    let status = serde_json::to_value(Status::schema()).unwrap();
    assert_eq!(status["type"], "integer");
    assert_eq!(
        status["enum"],
        serde_json::json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    );
    assert_eq!(<Status as ToSchema>::name(), "Status");
    let event = serde_json::to_value(Event::schema()).unwrap().to_string();
    assert!(event.contains("#/components/schemas/Status"), "{event}");
    assert!(event.contains("#/components/schemas/Actor"), "{event}");
    let t = serde_json::to_value(Timeliness::schema())
        .unwrap()
        .to_string();
    assert!(t.contains("on_track") && t.contains("days_left"), "{t}");
}

/// xorshift64*: a tiny deterministic generator for the property test.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random calls, applied only when `check_transition` accepts them,
/// never reach an illegal state or history.
#[test]
fn property_no_sequence_of_calls_reaches_an_illegal_state() {
    let long = "x".repeat(1001);
    let reasons: [Option<&str>; 9] = [
        None,
        Some(""),
        Some("   "),
        Some("Thiếu bản sao giấy khai sinh"),
        Some("Dòng 1\nDòng 2"),
        Some(&long),
        Some("a\u{0}b"),
        Some("a\tb"),
        Some("\u{202E}abc"),
    ];
    let mut reached = [false; 10];
    let mut accepted_moves = std::collections::BTreeSet::new();
    for seed in 1..=3000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let start = d(2026, 1, 1).add_days(rng.below(700) as i32);
        let mut day = start;
        let mut history = vec![ev(1, New, &format!("{start}T08:00:00+07:00"), C, None)];
        let mut state = New;
        for step in 0..40u32 {
            let to = Status::ALL[rng.below(10)];
            let actor = ACTORS[rng.below(3)];
            let reason = reasons[rng.below(reasons.len())];
            let result = check_transition(state, to, actor, reason);
            if state.is_final() {
                assert_eq!(result, Err(TransitionError::Final { from: state, to }));
                continue;
            }
            let Ok(()) = result else {
                // A refused move written into the history anyway is
                // caught by replay at that index.
                if step % 7 == 0 {
                    let mut bad = history.clone();
                    let at = format!("{day}T{:02}:{:02}:00+07:00", 8, step + 10);
                    bad.push(Event {
                        reason: reason.map(str::to_string),
                        ..ev(history.len() as u32 + 1, to, &at, actor, None)
                    });
                    assert_eq!(replay(&bad), Err((history.len(), result.unwrap_err())));
                }
                continue;
            };
            let row = TRANSITIONS
                .iter()
                .find(|r| (r.0, r.1, r.2) == (state, to, actor));
            assert!(
                row.is_some(),
                "{state:?}→{to:?} by {actor:?} not in the table"
            );
            let kept = clean_reason(reason).unwrap();
            if to.needs_reason() {
                assert!(kept.is_some_and(|r| !r.is_empty() && r == r.trim()));
            }
            accepted_moves.insert((state.code(), to.code(), actor as u8));
            day = day.add_days(rng.below(4) as i32);
            let at = format!("{day}T{:02}:{:02}:00+07:00", 8, step + 10);
            history.push(ev(history.len() as u32 + 1, to, &at, actor, kept));
            state = to;
            assert!(Status::ALL.contains(&state));
            assert_eq!(Status::from_code(state.code()), Some(state));
            reached[usize::from(state.code() - 1)] = true;
            assert_eq!(replay(&history), Ok(state));
        }
        assert_eq!(replay(&history), Ok(state));
        for e in &history {
            if e.status.needs_reason() {
                assert!(e.reason.as_deref().is_some_and(|r| !r.trim().is_empty()));
            }
        }
        // The clock never panics and agrees with the end state.
        let promised = add_working_days(start, 1 + rng.below(20) as u32);
        let t = timeliness(promised, &history, day.add_days(rng.below(30) as i32));
        match state {
            NotAccepted | Withdrawn | Stopped => assert_eq!(t, Timeliness::NotApplicable),
            Done | Returned => {
                assert!(matches!(t, Timeliness::DoneOnTime | Timeliness::DoneLate))
            }
            _ => assert!(
                t.on_time().is_some()
                    && !matches!(t, Timeliness::DoneOnTime | Timeliness::DoneLate)
            ),
        }
        assert!(deadline(promised, &history) >= promised);
    }
    // The walk covered every status (1 is the start) and every row.
    assert!(reached[1..].iter().all(|&r| r));
    assert_eq!(accepted_moves.len(), TRANSITIONS.len());
}
