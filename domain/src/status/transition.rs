//! Checking one move of the state machine: who may make it, the reason it
//! needs, and why a move is refused, worded in Vietnamese or English.

use core::fmt;

use crate::validate::{check_text, Problem};

use super::{Actor, Status, TRANSITIONS};

/// The longest reason, in characters as [`crate::validate::visible_len`]
/// counts them.
pub const MAX_REASON: u32 = 1000;

/// Why a move (or a stored history) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionError {
    /// `from` is final (3, 7, 8, 10): nothing leaves it.
    Final { from: Status, to: Status },
    /// No one may move a dossier from `from` to `to`.
    NotAllowed { from: Status, to: Status },
    /// The move exists, but not for this actor.
    WrongActor {
        from: Status,
        to: Status,
        actor: Actor,
    },
    /// Moving into this status (3, 5, 6, 8) needs a non-blank reason.
    ReasonRequired(Status),
    /// The reason is longer than [`MAX_REASON`].
    ReasonTooLong,
    /// The reason holds control characters (other than line breaks), tabs
    /// or direction overrides.
    ReasonInvalid,
    /// [`replay`](super::replay): a history must start with 1 Mới đăng ký by the citizen.
    InvalidStart,
    /// [`replay`](super::replay): `seq` not increasing, or `at` not RFC 3339 with an offset
    /// or earlier than the event before.
    InvalidEvent,
}

impl TransitionError {
    /// Stable, for the API and logs.
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::Final { .. } => "status_final",
            TransitionError::NotAllowed { .. } => "transition_not_allowed",
            TransitionError::WrongActor { .. } => "wrong_actor",
            TransitionError::ReasonRequired(_) => "reason_required",
            TransitionError::ReasonTooLong => "reason_too_long",
            TransitionError::ReasonInvalid => "reason_invalid",
            TransitionError::InvalidStart => "invalid_start",
            TransitionError::InvalidEvent => "invalid_event",
        }
    }

    /// What is wrong and what is allowed, in `en` or (any other `lang`)
    /// Vietnamese.
    pub fn message(self, lang: &str) -> String {
        let en = lang == "en";
        let q = |s: Status| {
            if en {
                format!("“{}”", s.name(lang))
            } else {
                s.name(lang).to_string()
            }
        };
        match self {
            TransitionError::Final { from, to } => {
                if en {
                    format!(
                        "The dossier is at {}, a final status, so it cannot move to {}.",
                        q(from),
                        q(to)
                    )
                } else {
                    format!(
                        "Hồ sơ đang ở trạng thái {} nên không thể chuyển sang {}. Đây là trạng thái kết thúc.",
                        q(from),
                        q(to)
                    )
                }
            }
            TransitionError::NotAllowed { from, to } => {
                let mut next: Vec<Status> = Vec::new();
                for (f, t, _, _) in TRANSITIONS {
                    if f == from && !next.contains(&t) {
                        next.push(t);
                    }
                }
                let list = next.into_iter().map(q).collect::<Vec<_>>().join(", ");
                if en {
                    format!(
                        "A dossier cannot move from {} to {}. From {} it can move to: {list}.",
                        q(from),
                        q(to),
                        q(from)
                    )
                } else {
                    format!(
                        "Không thể chuyển hồ sơ từ {} sang {}. Từ {} chỉ có thể chuyển sang: {list}.",
                        q(from),
                        q(to),
                        q(from)
                    )
                }
            }
            TransitionError::WrongActor { from, to, actor } => {
                let who = TRANSITIONS
                    .iter()
                    .filter(|r| r.0 == from && r.1 == to)
                    .map(|r| r.2.who(en))
                    .collect::<Vec<_>>()
                    .join(if en { " or " } else { " hoặc " });
                if en {
                    format!(
                        "Only {who} can move a dossier from {} to {}; {} cannot.",
                        q(from),
                        q(to),
                        actor.who(en)
                    )
                } else {
                    format!(
                        "Chỉ {who} mới có thể chuyển hồ sơ từ {} sang {}; {} không thể làm việc này.",
                        q(from),
                        q(to),
                        actor.who(en)
                    )
                }
            }
            TransitionError::ReasonRequired(to) => {
                if en {
                    format!("Give a reason to move a dossier to {}.", q(to))
                } else {
                    format!("Cần ghi rõ lý do khi chuyển hồ sơ sang {}.", q(to))
                }
            }
            TransitionError::ReasonTooLong => {
                if en {
                    format!("The reason can be at most {MAX_REASON} characters long.")
                } else {
                    format!("Lý do dài tối đa {MAX_REASON} ký tự. Hãy viết ngắn gọn hơn.")
                }
            }
            TransitionError::ReasonInvalid => if en {
                "The reason holds characters that are not allowed (control characters, tabs, \
                 text direction marks). Use letters, digits, punctuation and line breaks."
            } else {
                "Lý do chứa ký tự không được phép (ký tự điều khiển, tab, ký tự đổi chiều văn bản). \
                 Chỉ dùng chữ, số, dấu câu và xuống dòng."
            }
            .to_string(),
            TransitionError::InvalidStart => if en {
                "A dossier's history must start with “Submitted”, by the applicant."
            } else {
                "Lịch sử hồ sơ phải bắt đầu bằng trạng thái Mới đăng ký do công dân nộp."
            }
            .to_string(),
            TransitionError::InvalidEvent => if en {
                "Event numbers must increase, and each time must be RFC 3339 with an offset \
                 and not earlier than the event before."
            } else {
                "Số thứ tự sự kiện phải tăng dần; thời điểm phải theo RFC 3339 có múi giờ \
                 và không sớm hơn sự kiện trước."
            }
            .to_string(),
        }
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message("en"))
    }
}

impl std::error::Error for TransitionError {}

/// A reason as stored: trimmed; blank is no reason. Refuses one longer than
/// [`MAX_REASON`] or holding control characters other than line breaks
/// (`\n`, `\r`), tabs, or direction overrides.
pub fn clean_reason(reason: Option<&str>) -> Result<Option<&str>, TransitionError> {
    let Some(r) = reason.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    match check_text(r, MAX_REASON, true) {
        Err(Problem::TooLong { .. }) => Err(TransitionError::ReasonTooLong),
        Err(_) => Err(TransitionError::ReasonInvalid),
        Ok(()) if r.contains('\t') => Err(TransitionError::ReasonInvalid),
        Ok(()) => Ok(Some(r)),
    }
}

/// Is `actor` allowed to move a dossier from `from` to `to` with this
/// reason? Checks, in order: `from` final, the move exists, the actor may
/// make it, the reason ([`clean_reason`]; required into 3, 5, 6, 8).
pub fn check_transition(
    from: Status,
    to: Status,
    actor: Actor,
    reason: Option<&str>,
) -> Result<(), TransitionError> {
    if from.is_final() {
        return Err(TransitionError::Final { from, to });
    }
    let mut rows = TRANSITIONS.iter().filter(|r| r.0 == from && r.1 == to);
    let mut exists = false;
    let row = rows.find(|r| {
        exists = true;
        r.2 == actor
    });
    let Some(&(_, _, _, required)) = row else {
        return Err(if exists {
            TransitionError::WrongActor { from, to, actor }
        } else {
            TransitionError::NotAllowed { from, to }
        });
    };
    match clean_reason(reason)? {
        None if required => Err(TransitionError::ReasonRequired(to)),
        _ => Ok(()),
    }
}

/// Where `actor` may move a dossier from `from`, in table order.
pub fn next_statuses(from: Status, actor: Actor) -> Vec<Status> {
    TRANSITIONS
        .iter()
        .filter(|r| r.0 == from && r.2 == actor)
        .map(|r| r.1)
        .collect()
}
