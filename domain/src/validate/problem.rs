//! [`Problem`]: why an answer is not accepted, with its stable code and
//! args for the API and its message in Vietnamese or English.

use crate::api::Text;
use crate::date::Date;
use crate::error::FieldProblem;

/// Why an answer is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nothing typed in a required text, number or date question.
    Required,
    /// Nothing typed where `what` is needed: the question's label, or the
    /// name of the part (the commune of an address, the citizen's phone),
    /// so the message says what to enter. Code `required`, args
    /// `[what.vi, what.en]`.
    Missing {
        what: Text,
    },
    /// Nothing chosen in a required choice, yes/no or province question.
    RequiredChoice,
    /// No file uploaded in a required document slot.
    RequiredFile,
    TooLong {
        max: u32,
    },
    /// A control or direction-override character (see the [module docs](crate::validate)).
    InvalidChars,
    /// Not 12 digits.
    CccdShape,
    /// The first 3 digits are not a province code.
    CccdProvince {
        code: String,
    },
    /// The 4th digit (century and sex) is one not in use yet (4–9: born
    /// in 2100 or later).
    CccdCentury,
    /// The century digit and the 5th–6th digits do not give the birth year
    /// answered elsewhere in the form.
    CccdBirthMismatch,
    PhoneShape,
    PhonePrefix {
        prefix: String,
    },
    Email,
    /// Not a real date in `YYYY-MM-DD`.
    DateInvalid,
    /// A birth date after today.
    BirthInFuture,
    /// After today where the date must be today or earlier.
    DateInFuture,
    /// Before the earliest date accepted.
    DateTooOld {
        min: Date,
    },
    /// Before today where the date must be today or later.
    DateInPast,
    /// After the latest date accepted.
    DateTooFar {
        max: Date,
    },
    NotAnOption,
    NotYesNo,
    ProvinceUnknown,
    TooManyFiles {
        max: u32,
    },
    /// A file answer that is not upload ids (32 lowercase hex) joined by `,`.
    FileIdInvalid,
    /// (Server) No upload has that id: never uploaded, or removed.
    UploadMissing,
    /// (Server) The upload is already part of a dossier, or named twice.
    UploadInUse,
    /// (Server) The uploaded file's real type is not one the slot takes;
    /// `types` lists those it takes, e.g. "PDF, JPG, PNG".
    FileType {
        types: String,
    },
    /// (Server) Larger than the slot allows.
    /// A web address that is not `https://` and a host.
    Url,
    /// More entries than allowed in a list (points of sale…).
    TooMany {
        max: u32,
    },
    FileTooLarge {
        max: u64,
    },
    /// A map position outside the area served (or not a real position).
    OutOfArea,
    /// The citizen's consent box is not ticked (assisted applications).
    Consent,
}

/// A label as it reads inside a sentence: "Họ và tên" → "họ và tên";
/// an abbreviation ("CCCD") stays as it is.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if !b.is_uppercase() => a.to_lowercase().chain(s.chars().skip(1)).collect(),
        _ => s.to_string(),
    }
}

impl Problem {
    /// Nothing typed in a part named in words (`vi`, `en`): the commune of
    /// an address, the citizen's phone of a consent.
    pub fn missing(vi: &str, en: &str) -> Problem {
        Problem::Missing {
            what: Text {
                vi: vi.into(),
                en: en.into(),
            },
        }
    }

    /// The stable code sent in [`FieldProblem::code`].
    pub fn code(&self) -> &'static str {
        use Problem::*;
        match self {
            Required | Missing { .. } => "required",
            RequiredChoice => "required_choice",
            RequiredFile => "required_file",
            TooLong { .. } => "too_long",
            InvalidChars => "invalid_chars",
            CccdShape => "cccd_shape",
            CccdProvince { .. } => "cccd_province",
            CccdCentury => "cccd_century",
            CccdBirthMismatch => "cccd_birth_mismatch",
            PhoneShape => "phone_shape",
            PhonePrefix { .. } => "phone_prefix",
            Email => "email",
            DateInvalid => "date_invalid",
            BirthInFuture => "birth_in_future",
            DateInFuture => "date_in_future",
            DateTooOld { .. } => "date_too_old",
            DateInPast => "date_in_past",
            DateTooFar { .. } => "date_too_far",
            NotAnOption => "not_an_option",
            NotYesNo => "not_yes_no",
            ProvinceUnknown => "province_unknown",
            TooManyFiles { .. } => "too_many_files",
            FileIdInvalid => "file_id_invalid",
            UploadMissing => "upload_missing",
            UploadInUse => "upload_in_use",
            FileType { .. } => "file_type",
            FileTooLarge { .. } => "file_too_large",
            Url => "url",
            TooMany { .. } => "too_many",
            OutOfArea => "out_of_area",
            Consent => "consent",
        }
    }

    /// The message parameters, in order (dates as `YYYY-MM-DD`).
    pub fn args(&self) -> Vec<String> {
        use Problem::*;
        match self {
            TooLong { max } | TooManyFiles { max } | TooMany { max } => vec![max.to_string()],
            CccdProvince { code } => vec![code.clone()],
            PhonePrefix { prefix } => vec![prefix.clone()],
            DateTooOld { min: d } | DateTooFar { max: d } => vec![d.to_string()],
            FileType { types } => vec![types.clone()],
            FileTooLarge { max } => vec![max.to_string()],
            Missing { what } => vec![what.vi.clone(), what.en.clone()],
            _ => Vec::new(),
        }
    }

    /// The problem a code and its args describe; `None` for a code this
    /// version does not know or args that do not fit it.
    pub fn from_code(code: &str, args: &[String]) -> Option<Problem> {
        use Problem::*;
        let arg = || args.first().filter(|_| args.len() == 1);
        let num = || arg()?.parse::<u32>().ok();
        let date = || Date::parse(arg()?);
        let none = |p: Problem| args.is_empty().then_some(p);
        match code {
            "required" => match args {
                [] => Some(Required),
                [vi, en] => Some(Missing {
                    what: Text {
                        vi: vi.clone(),
                        en: en.clone(),
                    },
                }),
                _ => None,
            },
            "required_choice" => none(RequiredChoice),
            "required_file" => none(RequiredFile),
            "too_long" => Some(TooLong { max: num()? }),
            "invalid_chars" => none(InvalidChars),
            "cccd_shape" => none(CccdShape),
            "cccd_province" => Some(CccdProvince {
                code: arg()?.clone(),
            }),
            "cccd_century" => none(CccdCentury),
            "cccd_birth_mismatch" => none(CccdBirthMismatch),
            "phone_shape" => none(PhoneShape),
            "phone_prefix" => Some(PhonePrefix {
                prefix: arg()?.clone(),
            }),
            "email" => none(Email),
            "date_invalid" => none(DateInvalid),
            "birth_in_future" => none(BirthInFuture),
            "date_in_future" => none(DateInFuture),
            "date_too_old" => Some(DateTooOld { min: date()? }),
            "date_in_past" => none(DateInPast),
            "date_too_far" => Some(DateTooFar { max: date()? }),
            "not_an_option" => none(NotAnOption),
            "not_yes_no" => none(NotYesNo),
            "province_unknown" => none(ProvinceUnknown),
            "too_many_files" => Some(TooManyFiles { max: num()? }),
            "file_id_invalid" => none(FileIdInvalid),
            "upload_missing" => none(UploadMissing),
            "upload_in_use" => none(UploadInUse),
            "file_type" => Some(FileType {
                types: arg()?.clone(),
            }),
            "url" => none(Url),
            "too_many" => Some(TooMany { max: num()? }),
            "out_of_area" => none(OutOfArea),
            "consent" => none(Consent),
            "file_too_large" => Some(FileTooLarge {
                max: arg()?.parse().ok()?,
            }),
            _ => None,
        }
    }

    /// What is wrong and how to fix it, in `en` or (for any other `lang`)
    /// Vietnamese.
    pub fn message(&self, lang: &str) -> String {
        use Problem::*;
        let en = lang == "en";
        let pick = |vi: &str, e: &str| if en { e.to_string() } else { vi.to_string() };
        match self {
            Required => pick("Nhập câu trả lời", "Enter an answer"),
            Missing { what } => {
                let w = what.get(lang).trim();
                match (w.ends_with('?'), en) {
                    (true, true) => format!("Answer the question “{w}”"),
                    (true, false) => format!("Trả lời câu hỏi “{w}”"),
                    (false, true) => format!("Enter {}", lower_first(w)),
                    (false, false) => format!("Nhập {}", lower_first(w)),
                }
            }
            RequiredChoice => pick("Chọn một câu trả lời", "Select an answer"),
            RequiredFile => pick("Tải lên tệp giấy tờ", "Upload a file"),
            TooLong { max } => {
                if en {
                    format!("Enter {max} characters or fewer")
                } else {
                    format!("Nhập tối đa {max} ký tự")
                }
            }
            InvalidChars => pick(
                "Câu trả lời có ký tự điều khiển không dùng được. Xóa ký tự đó rồi nhập lại",
                "The answer contains a control character that cannot be used. Remove it and try again",
            ),
            CccdShape => pick(
                "Số định danh cá nhân phải gồm đúng 12 chữ số, ví dụ 045203001234",
                "Enter your 12-digit personal identification number, like 045203001234",
            ),
            CccdProvince { code } => {
                if en {
                    format!("{code} at the start of the number is not a province code. Check the first 3 digits on your identity card")
                } else {
                    format!("Mã tỉnh {code} ở đầu số định danh không đúng. Kiểm tra 3 chữ số đầu trên thẻ căn cước")
                }
            }
            CccdCentury => pick(
                "Chữ số thứ 4 của số định danh không đúng. Kiểm tra lại số trên thẻ căn cước",
                "The 4th digit of the number is not right. Check the number on your identity card",
            ),
            CccdBirthMismatch => pick(
                "Số định danh không khớp với năm sinh đã nhập. Kiểm tra chữ số thứ 4 đến thứ 6 và ngày sinh",
                "The number does not match the year of birth you entered. Check its 4th to 6th digits and your date of birth",
            ),
            PhoneShape => pick(
                "Nhập số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0, ví dụ 0912345678",
                "Enter a 10-digit mobile number starting with 0, like 0912345678",
            ),
            PhonePrefix { prefix } => {
                if en {
                    format!("{prefix} is not a Vietnamese mobile prefix. Check the number, or enter a mobile number")
                } else {
                    format!("Đầu số {prefix} không phải đầu số di động Việt Nam. Kiểm tra lại, hoặc nhập số di động")
                }
            }
            Email => pick(
                "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com",
                "Enter an email address in the correct format, like name@example.com",
            ),
            DateInvalid => pick(
                "Ngày phải là một ngày có thật, ví dụ 27/3/2007",
                "Enter a real date, for example 27 3 2007",
            ),
            BirthInFuture => pick(
                "Ngày sinh phải là hôm nay hoặc một ngày đã qua",
                "Date of birth must be today or in the past",
            ),
            DateInFuture => pick(
                "Ngày phải là hôm nay hoặc một ngày đã qua",
                "The date must be today or in the past",
            ),
            DateTooOld { min } => {
                if en {
                    format!("The date must be on or after {}", min.display(lang))
                } else {
                    format!("Ngày phải từ {} trở về sau", min.display(lang))
                }
            }
            DateInPast => pick(
                "Ngày phải là hôm nay hoặc một ngày sắp tới",
                "The date must be today or in the future",
            ),
            DateTooFar { max } => {
                if en {
                    format!("The date must be on or before {}", max.display(lang))
                } else {
                    format!("Ngày không được sau {}", max.display(lang))
                }
            }
            NotAnOption => pick(
                "Chọn một trong các câu trả lời có sẵn",
                "Select one of the options",
            ),
            NotYesNo => pick("Chọn Có hoặc Không", "Select yes or no"),
            ProvinceUnknown => pick(
                "Chọn tỉnh, thành phố trong danh sách",
                "Select a province or city from the list",
            ),
            TooManyFiles { max } => {
                if en {
                    format!("Upload {max} files or fewer")
                } else {
                    format!("Tải lên tối đa {max} tệp")
                }
            }
            OutOfArea => pick(
                "Vị trí này nằm ngoài địa bàn tỉnh. Hãy chọn xã, phường và nhập địa chỉ nơi xảy ra sự việc",
                "This position is outside the province. Select the commune and enter the address where it happened",
            ),
            Consent => pick(
                "Người dân cần đọc và đồng ý trước khi nộp. Hãy đánh dấu vào ô đồng ý",
                "The citizen must read and agree before submitting. Tick the consent box",
            ),
            Url => pick(
                "Nhập địa chỉ web bắt đầu bằng https://, ví dụ https://shopee.vn/tencuahang",
                "Enter a web address starting with https://, e.g. https://shopee.vn/shopname",
            ),
            TooMany { max } => {
                if en {
                    format!("Add {max} entries or fewer")
                } else {
                    format!("Thêm tối đa {max} mục")
                }
            }
            FileIdInvalid => pick(
                "Tệp chưa được tải lên đúng cách. Xóa tệp rồi tải lên lại",
                "A file was not uploaded properly. Remove it and upload it again",
            ),
            UploadMissing => pick(
                "Không tìm thấy tệp đã tải lên. Xóa tệp rồi tải lên lại",
                "The uploaded file could not be found. Remove it and upload it again",
            ),
            UploadInUse => pick(
                "Tệp này đã được dùng cho một hồ sơ khác. Xóa tệp rồi tải lên lại",
                "This file is already part of another application. Remove it and upload it again",
            ),
            FileType { types } => {
                if en {
                    format!("Upload a {types} file")
                } else {
                    format!("Tải lên tệp {types}")
                }
            }
            FileTooLarge { max } => {
                let size = crate::form::size_label(*max, lang);
                if en {
                    format!("The file must be {size} or smaller")
                } else {
                    format!("Tệp phải nhỏ hơn hoặc bằng {size}")
                }
            }
        }
    }

    pub fn to_field_problem(&self, key: &str, lang: &str) -> FieldProblem {
        FieldProblem {
            field: key.to_string(),
            code: self.code().to_string(),
            args: self.args(),
            message: self.message(lang),
        }
    }
}
