//! Tests of [`crate::producer`]: passwords, account names, certificates and proposals.

use super::*;
use crate::api::Text;
use crate::date::Date;
use crate::product::{PointOfSale, Product};

#[test]
fn password_rules_are_length_and_commonness_only() {
    assert_eq!(
        check_password("htx-tieu-cua", "ngắn"),
        Err(PasswordProblem::TooShort)
    );
    assert_eq!(check_password("htx", "tiêu cùa thơm cay"), Ok(()));
    assert_eq!(
        check_password("htx", "abcdefghij"),
        Ok(()),
        "no special character needed"
    );
    assert_eq!(
        check_password("tieucua", "TIEUCUA2024!"),
        Err(PasswordProblem::ContainsUsername)
    );
    assert_eq!(
        check_password("a", "1234567890"),
        Err(PasswordProblem::TooCommon)
    );
    assert_eq!(
        check_password("a", "aaaaaaaaaaaa"),
        Err(PasswordProblem::TooCommon)
    );
    assert_eq!(
        check_password("a", &"x1".repeat(65)),
        Err(PasswordProblem::TooLong)
    );
    assert_eq!(
        check_password("a", "mật\u{202E}khẩu dài"),
        Err(PasswordProblem::InvalidChars)
    );
    for p in [
        PasswordProblem::TooShort,
        PasswordProblem::TooLong,
        PasswordProblem::InvalidChars,
        PasswordProblem::ContainsUsername,
        PasswordProblem::TooCommon,
        PasswordProblem::Unchanged,
    ] {
        assert_eq!(PasswordProblem::from_code(p.code()), Some(p.clone()));
        assert!(!p.message("vi").is_empty() && !p.message("en").is_empty());
    }
    assert!(password_rules("vi")[1].contains("Không bắt buộc ký tự đặc biệt"));
}

#[test]
fn usernames() {
    assert!(is_username("htx-tieu-cua"));
    assert!(!is_username("HTX"));
    assert!(!is_username("ab"));
    assert!(!is_username("tiêu"));
}

#[test]
fn certificate_states() {
    let today = Date::parse("2026-11-23").unwrap();
    let d = |s| Date::parse(s).unwrap();
    assert_eq!(cert_state(d("2027-08-20"), today).0, CertState::Valid);
    assert_eq!(
        cert_state(d("2027-02-21"), today),
        (CertState::Expiring, 90)
    );
    assert_eq!(cert_state(d("2027-02-22"), today), (CertState::Valid, 91));
    assert_eq!(cert_state(d("2026-11-23"), today), (CertState::Expiring, 0));
    assert_eq!(cert_state(d("2026-11-14"), today), (CertState::Expired, -9));
}

fn product() -> Product {
    serde_json::from_value(serde_json::json!({
        "gtin": "08930000000019", "name": {"vi": "Hạt tiêu Cùa", "en": ""},
        "group": "food", "stars": 4,
        "certificate": {"issued": "2024-08-20", "expires": "2027-08-20", "issuer": {"vi": "UBND", "en": ""}},
        "photos": [{"url": "/public/products/8930000000019.svg", "alt": {"vi": "Túi tiêu", "en": ""}}],
        "description": {"vi": "Tiêu", "en": ""}, "ingredients": {"vi": "Tiêu", "en": ""},
        "shelf_life_days": 730,
        "producer": {"id": "htx-tieu-cua", "name": {"vi": "HTX", "en": ""}, "kind": "cooperative", "commune": "Cùa", "province": "Quảng Trị"}
    }))
    .unwrap()
}

#[test]
fn proposals_apply_only_the_editable_part() {
    let p = product();
    let mut prop = Proposal::of(&p);
    assert!(check_proposal(&prop).is_empty());
    prop.description.vi = "Mô tả mới".into();
    let q = prop.apply(&p);
    assert_eq!(q.description.vi, "Mô tả mới");
    assert_eq!(
        (q.name, q.stars, q.gtin),
        (p.name.clone(), p.stars, p.gtin.clone())
    );
}

#[test]
fn proposal_checks() {
    let p = product();
    let mut prop = Proposal::of(&p);
    prop.description.vi = "  ".into();
    prop.photos[0].url = "https://evil.example/x.jpg".into();
    prop.points_of_sale.push(PointOfSale {
        name: Text {
            vi: "Chợ Đông Hà".into(),
            en: String::new(),
        },
        address: None,
        url: Some("javascript:alert(1)".into()),
        location: None,
    });
    let keys: Vec<_> = check_proposal(&prop)
        .into_iter()
        .map(|(k, p)| (k, p.code()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("description.vi".to_string(), "required"),
            ("points_of_sale.0.url".to_string(), "url"),
            ("photos.0.url".to_string(), "file_id_invalid"),
        ]
    );
    assert!(is_own_photo_url("/api/v1/media/ab12.jpg"));
    assert!(!is_own_photo_url("/public/../secret"));
    assert!(is_shop_url("https://shopee.vn/tieucua"));
    assert!(!is_shop_url("http://x.vn"));
}
