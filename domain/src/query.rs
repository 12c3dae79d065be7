//! The catalogue search query: parsed and checked the same way by the server
//! (from the request) and the app (before it sends one).

use crate::error::{ApiErrorBody, ErrorCode};

/// Longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// Highest page number accepted.
pub const MAX_PAGE: u32 = 1000;
/// Results per page.
pub const PER_PAGE: u32 = 20;
/// Longest field code accepted.
pub const MAX_FIELD_CHARS: usize = 40;

/// `GET /api/v1/procedures?q=&field=&page=`
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcedureQuery {
    /// Free text; empty means "everything".
    pub q: String,
    /// A field code (e.g. `ho-tich`), or none for all fields.
    pub field: Option<String>,
    /// 1-based.
    pub page: u32,
}

impl ProcedureQuery {
    pub fn new(q: &str, field: Option<&str>, page: u32) -> Self {
        ProcedureQuery {
            q: q.trim().to_string(),
            field: field.filter(|f| !f.is_empty()).map(str::to_string),
            page: page.max(1),
        }
    }

    /// Builds a query from decoded `key=value` pairs, checking every value.
    /// Unknown keys are ignored; a repeated key keeps the last value.
    pub fn from_pairs<'a, I>(pairs: I) -> Result<Self, ApiErrorBody>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut q = String::new();
        let mut field = None;
        let mut page = 1;
        for (k, v) in pairs {
            match k {
                "q" => q = v.trim().to_string(),
                "field" => {
                    field = if v.is_empty() {
                        None
                    } else {
                        Some(v.to_string())
                    }
                }
                "page" => page = parse_page(v)?,
                _ => {}
            }
        }
        let query = ProcedureQuery { q, field, page };
        query.validate()?;
        Ok(query)
    }

    /// Checks lengths and shapes.
    pub fn validate(&self) -> Result<(), ApiErrorBody> {
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiErrorBody::for_field(
                ErrorCode::TooLong,
                "q",
                format!("q must be at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        if let Some(f) = &self.field {
            let ok = f.len() <= MAX_FIELD_CHARS
                && f.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(ApiErrorBody::for_field(
                    ErrorCode::InvalidParameter,
                    "field",
                    "field must be a field code such as ho-tich",
                ));
            }
        }
        if self.page == 0 || self.page > MAX_PAGE {
            return Err(page_error());
        }
        Ok(())
    }

    /// The query string (without `?`), omitting defaults, percent-encoded.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode(&self.q)));
        }
        if let Some(f) = &self.field {
            parts.push(format!("field={}", encode(f)));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }
}

fn page_error() -> ApiErrorBody {
    ApiErrorBody::for_field(
        ErrorCode::InvalidParameter,
        "page",
        format!("page must be a whole number from 1 to {MAX_PAGE}"),
    )
}

fn parse_page(v: &str) -> Result<u32, ApiErrorBody> {
    match v.parse::<u32>() {
        Ok(p) if (1..=MAX_PAGE).contains(&p) => Ok(p),
        _ => Err(page_error()),
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[(b >> 4) as usize]));
            out.push(char::from(b"0123456789ABCDEF"[(b & 15) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_defaults() {
        let q = ProcedureQuery::from_pairs([("q", " khai sinh "), ("page", "2")]).unwrap();
        assert_eq!(
            q,
            ProcedureQuery {
                q: "khai sinh".into(),
                field: None,
                page: 2
            }
        );
        let q = ProcedureQuery::from_pairs([]).unwrap();
        assert_eq!(q.page, 1);
        let q = ProcedureQuery::from_pairs([("field", ""), ("x", "y")]).unwrap();
        assert_eq!(q.field, None);
    }

    #[test]
    fn bad_page_names_the_field() {
        for bad in ["0", "-1", "abc", "1.5", "1001", "99999999999", ""] {
            let e = ProcedureQuery::from_pairs([("page", bad)]).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidParameter, "{bad}");
            assert_eq!(e.field.as_deref(), Some("page"));
        }
    }

    #[test]
    fn long_query_is_refused_by_characters_not_bytes() {
        let ok = "đ".repeat(MAX_QUERY_CHARS);
        assert!(ProcedureQuery::from_pairs([("q", ok.as_str())]).is_ok());
        let long = "đ".repeat(MAX_QUERY_CHARS + 1);
        let e = ProcedureQuery::from_pairs([("q", long.as_str())]).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLong);
        assert_eq!(e.field.as_deref(), Some("q"));
    }

    #[test]
    fn bad_field_code() {
        let e = ProcedureQuery::from_pairs([("field", "<script>")]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("field"));
    }

    #[test]
    fn query_string_round_trip() {
        let q = ProcedureQuery::new("đăng ký & khai sinh", Some("ho-tich"), 3);
        let s = q.to_query_string();
        assert_eq!(
            s,
            "q=%C4%91%C4%83ng%20k%C3%BD%20%26%20khai%20sinh&field=ho-tich&page=3"
        );
        assert_eq!(ProcedureQuery::new("", None, 1).to_query_string(), "");
    }
}
