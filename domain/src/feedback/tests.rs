//! Tests of [`crate::feedback`]: checking a report, the state machine, codes and ratings.

use super::*;

fn report() -> NewFeedback {
    NewFeedback {
        category: Category::Roads,
        title: "Đèn đường hỏng".into(),
        description: "Ba cột đèn trên đường Lê Lợi không sáng từ tuần trước.".into(),
        photos: vec!["a".repeat(32)],
        location: Location {
            position: None,
            commune: "Phường Đông Hà".into(),
            address: "Đường Lê Lợi, gần cầu".into(),
        },
        contact: Contact::default(),
    }
}

fn keys(f: &NewFeedback) -> Vec<String> {
    check_feedback(f).into_iter().map(|(k, _)| k).collect()
}

#[test]
fn a_complete_anonymous_report_passes() {
    assert!(check_feedback(&report()).is_empty());
    assert!(report().contact.is_anonymous());
}

#[test]
fn commune_and_address_are_needed_only_without_a_position() {
    let mut f = report();
    f.location.commune.clear();
    f.location.address = "  ".into();
    assert_eq!(keys(&f), ["location.commune", "location.address"]);
    // Each says what to enter.
    let said: Vec<String> = check_feedback(&f).iter().map(|(_, p)| p.message("vi")).collect();
    assert_eq!(said, ["Nhập xã, phường nơi xảy ra", "Nhập địa chỉ hoặc mô tả nơi xảy ra"]);
    f.location.position = Some(Position {
        lat: 16.82,
        lon: 107.1,
        accuracy_m: Some(12),
    });
    assert!(check_feedback(&f).is_empty());
    f.location.position = Some(Position {
        lat: 48.85,
        lon: 2.35,
        accuracy_m: None,
    });
    assert_eq!(
        check_feedback(&f),
        [("location.position".into(), Problem::OutOfArea)]
    );
    f.location.position = Some(Position {
        lat: f64::NAN,
        lon: 107.0,
        accuracy_m: None,
    });
    assert_eq!(keys(&f), ["location.position"]);
}

#[test]
fn title_description_contact_and_photos_are_checked() {
    let mut f = report();
    f.title = "x".repeat(151);
    f.description = String::new();
    f.contact.phone = "12345".into();
    f.contact.email = "khong-phai-email".into();
    f.photos = vec!["a".repeat(32); 4];
    assert_eq!(
        keys(&f),
        [
            "title",
            "description",
            "contact.phone",
            "contact.email",
            "photos"
        ]
    );
    f.photos = vec!["a".repeat(32), "a".repeat(32)];
    assert_eq!(check_feedback(&f).last().unwrap().1, Problem::FileIdInvalid);
    f.title = "Đèn\u{202E}".into();
    assert!(check_feedback(&f).contains(&("title".into(), Problem::InvalidChars)));
}

#[test]
fn the_state_machine() {
    use FeedbackAction::*;
    use FeedbackStatus::*;
    assert_eq!(next_status(Received, Assign), Ok(Assigned));
    assert_eq!(next_status(Assigned, Assign), Ok(Assigned));
    assert_eq!(
        next_status(Received, Answer),
        Err(FeedbackTransitionError::NotAssigned)
    );
    assert_eq!(next_status(Assigned, Answer), Ok(Answered));
    assert_eq!(next_status(Received, Reject), Ok(Rejected));
    assert_eq!(next_status(Assigned, Reject), Ok(Rejected));
    for end in [Answered, Rejected] {
        for a in [Assign, Answer, Reject] {
            assert_eq!(next_status(end, a), Err(FeedbackTransitionError::Final));
        }
    }
}

#[test]
fn codes() {
    assert_eq!(
        normalize_code(" pa-261124-k7m2q "),
        Some("PA-261124-K7M2Q".into())
    );
    assert_eq!(normalize_code("PA-261124-12345"), None);
    assert_eq!(normalize_code("PA-261124-K7M2I"), None);
    assert_eq!(normalize_code("QT.XA-261124-0001"), None);
    assert!(crate::track::normalize_code("PA-261124-K7M2Q").is_none());
}

#[test]
fn categories_and_statuses_round_trip() {
    for c in Category::ALL {
        assert_eq!(Category::parse(c.as_str()), Some(c));
        assert!(!c.label("vi").is_empty());
    }
    let s: FeedbackStatus = serde_json::from_str("\"answered\"").unwrap();
    assert_eq!(FeedbackStatus::parse(s.as_str()), Some(s));
}

#[test]
fn ratings() {
    assert!(check_rating(&FeedbackRating {
        stars: 5,
        comment: None
    })
    .is_empty());
    assert_eq!(
        check_rating(&FeedbackRating {
            stars: 0,
            comment: None
        })[0]
            .0,
        "stars"
    );
    assert_eq!(check_officer_text("  ", AGENCY_MAX), Err(Problem::Required));
}
