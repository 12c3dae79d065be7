//! The API contract: every JSON body the reference server sends and the app reads.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A text in both languages of the public-service catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Text {
    pub vi: String,
    pub en: String,
}

impl Text {
    /// The text in the given language: `en` for English, Vietnamese otherwise.
    /// An empty English text falls back to Vietnamese.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" && !self.en.is_empty() {
            &self.en
        } else {
            &self.vi
        }
    }
}

/// `GET /api/v1/health`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    /// `ok` when the database answers.
    pub status: String,
    pub version: String,
    pub procedures: u32,
    /// The server's clock, RFC 3339 in Vietnam's time (`+07:00`): the date
    /// every deadline is counted from (a test or a demo may start it elsewhere
    /// with `--clock-start`).
    pub now: String,
}

/// Province branding, from the server's configuration (`GET /api/v1/config`,
/// and inlined into the HTML shell so the first paint needs no request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AppConfig {
    /// e.g. "Tỉnh Quảng Trị" / "Quảng Trị Province".
    pub province: Text,
    /// URL of the emblem image, same origin.
    pub emblem_url: String,
    /// Hotline shown in error messages and the footer: also the number to
    /// call about one's personal data.
    pub hotline: String,
    /// Who runs this service and controls the personal data it holds.
    pub operator: Operator,
}

/// The agency that operates the service: named in the footer, the privacy
/// notice and the printed receipt. Configuration, like the branding; the
/// reference server's default says it is a demonstration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Operator {
    /// e.g. the province's public administration service centre.
    pub name: Text,
    /// Postal address; empty when not configured.
    pub address: String,
    /// Email for questions about personal data; empty when not configured.
    pub email: String,
}

/// What the reference server calls its operator unless configured: it is
/// no government agency.
pub const DEMO_OPERATOR_VI: &str = "Cửa Số – bản trình diễn, không phải cơ quan nhà nước";
pub const DEMO_OPERATOR_EN: &str = "Cửa Số – a demonstration, not a government agency";

impl Default for Operator {
    fn default() -> Self {
        Operator {
            name: Text {
                vi: DEMO_OPERATOR_VI.into(),
                en: DEMO_OPERATOR_EN.into(),
            },
            address: String::new(),
            email: String::new(),
        }
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            province: Text {
                vi: "Tỉnh Quảng Trị".into(),
                en: "Quảng Trị Province".into(),
            },
            emblem_url: "/public/emblem.svg".into(),
            hotline: "1022".into(),
            operator: Operator::default(),
        }
    }
}

/// A field of public administration (lĩnh vực), e.g. Hộ tịch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Field {
    /// Stable slug, e.g. `ho-tich`.
    pub code: String,
    pub name: Text,
    /// How many procedures belong to it.
    pub procedure_count: u32,
}

/// The level of the agency that settles a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgencyLevel {
    Province,
    Commune,
}

/// Online capability under Decree 42/2022/NĐ-CP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Toàn trình: submit, pay and receive the result online.
    Full,
    /// Một phần: some step happens at the counter.
    Partial,
    /// Only at the counter or by post.
    None,
}

impl OnlineLevel {
    /// Whether a citizen can start this procedure online.
    pub fn can_apply_online(self) -> bool {
        !matches!(self, OnlineLevel::None)
    }
}

/// A way to submit a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Counter,
    Post,
}

/// Fees in VND. `None` means the fee does not apply through that channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Fees {
    pub counter: Option<u64>,
    pub online: Option<u64>,
    /// What the fee depends on, when it is not a single figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// One required document (thành phần hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RequiredDocument {
    pub name: Text,
    /// Number of originals (bản chính).
    pub originals: u32,
    /// Number of copies (bản sao).
    pub copies: u32,
    /// Only needed in some cases; the condition is in the name or a note.
    #[serde(default)]
    pub conditional: bool,
}

/// One row of the catalogue list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProcedureSummary {
    /// National procedure code, e.g. `1.001193`.
    pub code: String,
    pub name: Text,
    pub field: String,
    pub field_name: Text,
    pub level: AgencyLevel,
    pub online: OnlineLevel,
    /// Statutory processing time in working days; 0 means the same day.
    pub days: u32,
    pub fees: Fees,
}

/// `GET /api/v1/procedures/{code}`: everything a procedure page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Procedure {
    pub code: String,
    pub name: Text,
    pub field: String,
    pub field_name: Text,
    pub level: AgencyLevel,
    pub online: OnlineLevel,
    pub days: u32,
    /// When the time limit is not a plain number of days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_note: Option<Text>,
    pub fees: Fees,
    /// Who may apply.
    pub applicants: Text,
    pub channels: Vec<Channel>,
    pub documents: Vec<RequiredDocument>,
    /// Numbered steps, in order.
    pub steps: Vec<Text>,
    /// The agency that settles it.
    pub agency: Text,
    /// What the citizen receives at the end.
    pub result: Text,
    /// Legal documents it rests on.
    pub legal_basis: Vec<String>,
    /// The online application form, when the procedure can be applied for online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<crate::form::FormSchema>,
}

impl Procedure {
    pub fn summary(&self) -> ProcedureSummary {
        ProcedureSummary {
            code: self.code.clone(),
            name: self.name.clone(),
            field: self.field.clone(),
            field_name: self.field_name.clone(),
            level: self.level,
            online: self.online,
            days: self.days,
            fees: self.fees.clone(),
        }
    }
}

/// `GET /api/v1/procedures`: one page of search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProcedurePage {
    pub items: Vec<ProcedureSummary>,
    /// Matches over all pages.
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

impl ProcedurePage {
    pub fn has_more(&self) -> bool {
        self.page.saturating_mul(self.per_page) < self.total
    }
}

/// Checks the shape of a national procedure code as the national portal
/// publishes it: one or two digits, a dot, then 3 to 8 digits (`1.001193`).
pub fn is_procedure_code(code: &str) -> bool {
    let mut parts = code.split('.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => {
            (1..=2).contains(&a.len())
                && (3..=8).contains(&b.len())
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_falls_back_to_vietnamese() {
        let t = Text {
            vi: "Hộ tịch".into(),
            en: String::new(),
        };
        assert_eq!(t.get("en"), "Hộ tịch");
        let t = Text {
            vi: "Hộ tịch".into(),
            en: "Civil status".into(),
        };
        assert_eq!(t.get("en"), "Civil status");
        assert_eq!(t.get("vi"), "Hộ tịch");
        assert_eq!(t.get("ko"), "Hộ tịch");
    }

    #[test]
    fn procedure_codes() {
        assert!(is_procedure_code("1.001193"));
        assert!(is_procedure_code("2.000986"));
        assert!(!is_procedure_code("1001193"));
        assert!(!is_procedure_code("1.00119a"));
        assert!(!is_procedure_code("1.001193.1"));
        assert!(!is_procedure_code("../etc"));
        assert!(!is_procedure_code(""));
        assert!(!is_procedure_code(".123"));
    }

    #[test]
    fn page_has_more() {
        let p = ProcedurePage {
            items: vec![],
            total: 41,
            page: 2,
            per_page: 20,
        };
        assert!(p.has_more());
        let p = ProcedurePage {
            items: vec![],
            total: 40,
            page: 2,
            per_page: 20,
        };
        assert!(!p.has_more());
    }

    #[test]
    fn enums_use_snake_case_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&OnlineLevel::Full).unwrap(),
            "\"full\""
        );
        assert_eq!(
            serde_json::to_string(&AgencyLevel::Commune).unwrap(),
            "\"commune\""
        );
        assert_eq!(serde_json::to_string(&Channel::Post).unwrap(), "\"post\"");
        assert!(OnlineLevel::Partial.can_apply_online());
        assert!(!OnlineLevel::None.can_apply_online());
    }
}
