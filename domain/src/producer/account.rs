//! Producer accounts: the session limits, the password and account-name
//! rules, login and the session the server answers.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Text;
use crate::validate::check_text;

/// The session cookie: HttpOnly, SameSite=Lax, `Secure` over https, Path=/api.
pub const SESSION_COOKIE: &str = "cuaso_session";
/// The header that must carry the session's CSRF token.
pub const CSRF_HEADER: &str = "x-cuaso-csrf";
/// A session ends after this long without a request.
pub const SESSION_IDLE_MINUTES: u32 = 30;
/// …and at the latest this long after login.
pub const SESSION_MAX_HOURS: u32 = 12;
/// Wrong passwords allowed per account, then per client, in one window.
pub const LOGIN_FAILURES_PER_ACCOUNT: u32 = 5;
pub const LOGIN_FAILURES_PER_CLIENT: u32 = 20;
/// The login rate-limit window and lockout, in minutes.
pub const LOGIN_WINDOW_MINUTES: u32 = 15;

// ---------------------------------------------------------------------------
// Passwords
// ---------------------------------------------------------------------------

/// Password length in characters. No composition rules ("a special
/// character…"): length and not being a common password are what matter.
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 128;

/// Passwords too common to allow (a short list of the most used ones that
/// are long enough to pass the length rule; compared case-insensitively).
const COMMON: &[&str] = &[
    "1234567890",
    "0123456789",
    "12345678910",
    "0987654321",
    "1111111111",
    "123456789a",
    "qwertyuiop",
    "1q2w3e4r5t",
    "matkhau123",
    "matkhau1234",
    "password123",
    "password1234",
    "abc1234567",
    "123456789abc",
    "anhyeuem123",
    "iloveyou123",
    "vietnam123",
    "vietnam1234",
];

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// Control or direction characters.
    InvalidChars,
    /// Contains the account name.
    ContainsUsername,
    /// On the list of common passwords, or one character repeated.
    TooCommon,
    /// The same as the current password.
    Unchanged,
}

impl PasswordProblem {
    pub fn code(&self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password_too_short",
            PasswordProblem::TooLong => "password_too_long",
            PasswordProblem::InvalidChars => "invalid_chars",
            PasswordProblem::ContainsUsername => "password_contains_username",
            PasswordProblem::TooCommon => "password_too_common",
            PasswordProblem::Unchanged => "password_unchanged",
        }
    }

    pub fn from_code(code: &str) -> Option<PasswordProblem> {
        Some(match code {
            "password_too_short" => PasswordProblem::TooShort,
            "password_too_long" => PasswordProblem::TooLong,
            "invalid_chars" => PasswordProblem::InvalidChars,
            "password_contains_username" => PasswordProblem::ContainsUsername,
            "password_too_common" => PasswordProblem::TooCommon,
            "password_unchanged" => PasswordProblem::Unchanged,
            _ => return None,
        })
    }

    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        match self {
            PasswordProblem::TooShort => {
                if en {
                    format!("Use at least {PASSWORD_MIN} characters")
                } else {
                    format!("Dùng ít nhất {PASSWORD_MIN} ký tự")
                }
            }
            PasswordProblem::TooLong => {
                if en {
                    format!("Use {PASSWORD_MAX} characters or fewer")
                } else {
                    format!("Dùng tối đa {PASSWORD_MAX} ký tự")
                }
            }
            PasswordProblem::InvalidChars => if en {
                "The password contains a control character. Remove it and try again"
            } else {
                "Mật khẩu có ký tự điều khiển. Xóa ký tự đó rồi nhập lại"
            }
            .into(),
            PasswordProblem::ContainsUsername => if en {
                "Do not put your account name in the password"
            } else {
                "Không dùng tên đăng nhập trong mật khẩu"
            }
            .into(),
            PasswordProblem::TooCommon => if en {
                "This password is too easy to guess. Try a short sentence you will remember"
            } else {
                "Mật khẩu này quá dễ đoán. Hãy thử một câu ngắn mà bạn dễ nhớ"
            }
            .into(),
            PasswordProblem::Unchanged => if en {
                "Choose a password different from the current one"
            } else {
                "Chọn mật khẩu khác mật khẩu hiện tại"
            }
            .into(),
        }
    }
}

/// The password rules, stated up front on every form that sets one.
pub fn password_rules(lang: &str) -> Vec<String> {
    if lang == "en" {
        vec![
            format!("At least {PASSWORD_MIN} characters (at most {PASSWORD_MAX})."),
            "Any letters, digits, spaces or signs, Vietnamese included. No special character is required.".into(),
            "Not your account name, and not a common password such as 1234567890.".into(),
        ]
    } else {
        vec![
            format!("Ít nhất {PASSWORD_MIN} ký tự (tối đa {PASSWORD_MAX})."),
            "Dùng chữ, số, dấu cách hay ký hiệu nào cũng được, kể cả tiếng Việt có dấu. Không bắt buộc ký tự đặc biệt.".into(),
            "Không chứa tên đăng nhập, không dùng mật khẩu phổ biến như 1234567890.".into(),
        ]
    }
}

/// Checks a new password against [`password_rules`].
pub fn check_password(username: &str, password: &str) -> Result<(), PasswordProblem> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(PasswordProblem::TooShort);
    }
    if n > PASSWORD_MAX {
        return Err(PasswordProblem::TooLong);
    }
    if check_text(password, PASSWORD_MAX as u32, false).is_err() {
        return Err(PasswordProblem::InvalidChars);
    }
    let lower = password.to_lowercase();
    let user = username.trim().to_lowercase();
    if user.chars().count() >= 3 && lower.contains(&user) {
        return Err(PasswordProblem::ContainsUsername);
    }
    let first = lower.chars().next();
    if COMMON.contains(&lower.as_str()) || lower.chars().all(|c| Some(c) == first) {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

/// Account names: 3–40 of `a-z`, `0-9`, `.`, `-`, `_` (lower case).
pub fn is_username(s: &str) -> bool {
    (3..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

/// `POST /api/v1/auth/login`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The signed-in producer, as login and `GET /api/v1/auth/session` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Session {
    pub username: String,
    pub producer_id: String,
    pub producer_name: Text,
    /// Send it back in [`CSRF_HEADER`] on every state-changing request.
    pub csrf: String,
    /// The session ends after this many minutes without a request.
    pub idle_minutes: u32,
    /// The initial password from `producer add` must be changed first.
    #[serde(default)]
    pub must_change_password: bool,
    /// Producer (the OCOP portal) or helper (assisted applications).
    #[serde(default)]
    pub role: Role,
    /// For a helper: who and which team. `producer_id` and `producer_name`
    /// are empty then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helper: Option<crate::helper::HelperInfo>,
}

/// What an account is for. A producer session cannot use helper routes and
/// the other way round (403 `forbidden`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Producer,
    Helper,
}

/// `POST /api/v1/auth/password`. A wrong `current` answers 400
/// `validation` with field `current`, code `wrong_password`; a refused
/// `new` answers the [`PasswordProblem`] code at field `new`. Success ends
/// the producer's other sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}
